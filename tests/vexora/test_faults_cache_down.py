"""Redis down is not a 500: what can work without the cache keeps working, one-time codes answer
503 with Retry-After, throttles count per process (with a warning), /readyz names the cache."""

import logging
import socket

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import token_pair_issue
from tests.accounts.support import API, assert_envelope, bearer
from tests.factories import DEFAULT_PASSWORD
from tests.history.factories import HistoryEntryFactory, catalog_tracks
from tests.moods.conftest import ASTRONAUT
from vexora.faults import resilient_cache

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The shared cache is a Redis server that is not running (connection refused)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }
    yield
    caches["process"].clear()


def test_signing_in_refreshing_and_reading_keep_working(api_client, user, redis_down):
    HistoryEntryFactory(user=user)
    catalog_tracks(30)

    login = assert_envelope(api_client.post(API + "login", {"username": user.username, "password": DEFAULT_PASSWORD},
                                            format="json"), 200)
    tokens = login["data"]
    refreshed = assert_envelope(api_client.post(API + "refresh", {"refresh_token": tokens["refresh_token"]},
                                                format="json"), 200)["data"]
    auth = bearer(refreshed["access_token"])

    assert_envelope(api_client.get(API + "user", **auth), 200)
    assert len(assert_envelope(api_client.get(API + "history", **auth), 200)["data"]) == 1
    assert len(assert_envelope(api_client.get(API + "spotify/random-playlist", **auth), 200)["data"]) > 0
    # the old refresh token stays used up: revocation does not need the cache
    assert_envelope(api_client.post(API + "refresh", {"refresh_token": tokens["refresh_token"]}, format="json"), 401)


def test_mood_detection_keeps_working(api_client, user, redis_down):
    catalog_tracks(30)
    selfie = SimpleUploadedFile("me.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")

    response = api_client.post(API + "mood-detection", {"image": selfie}, format="multipart",
                               **bearer(token_pair_issue(user=user)["access_token"]))

    assert assert_envelope(response, 200)["data"]["history_uuid"]


def test_one_time_codes_answer_503_with_retry_after(api_client, user, redis_down, settings):
    response = api_client.post(API + "send-otp", {"email": user.email}, format="json")

    body = assert_envelope(response, 503, notify=True)
    assert "try again" in body["message"]
    assert response["Retry-After"] == str(settings.CACHE_RETRY_AFTER_SECONDS)
    verify = api_client.post(API + "verify-email", {"email": user.email, "otp": "123456"}, format="json")
    assert_envelope(verify, 503)


def test_throttles_count_per_process_and_warn(api_client, redis_down, settings, caplog, monkeypatch):
    monkeypatch.setattr(resilient_cache, "warn_every_seconds", 0)  # every fallback logs, not once a minute
    settings.THROTTLE_RATES = settings.THROTTLE_RATES | {"login": "2/min"}
    body = {"username": "nobody", "password": "wrong"}

    with caplog.at_level(logging.WARNING, logger="vexora.faults"):
        statuses = [api_client.post(API + "login", body, format="json").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]
    assert any("throttles count per process" in record.getMessage() for record in caplog.records)


def test_readyz_names_the_cache_and_healthz_stays_alive(client, redis_down):
    from moods.inference import model_get

    model_get()  # a process with its model loaded, as gunicorn's workers are
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["data"] == {"database": "ok", "cache": "error", "model": "ok"}
    assert response.json()["message"] == "not ready: cache unavailable"
    assert client.get("/healthz").status_code == 200
