"""/metrics in Prometheus' text format: django-prometheus's request metrics and Vexora's own:
detection time by stage, moods read, inference timeouts, and the Celery queue depths."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from prometheus_client.parser import text_string_to_metric_families

from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.django_db


def _samples(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def _detect(auth_client):
    selfie = SimpleUploadedFile("me.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")
    return auth_client.post("/api/v1/mood-detection", {"image": selfie}, format="multipart")


def test_requests_are_counted_by_django_prometheus(client):
    client.get("/healthz")
    samples = _samples(client)

    assert _value(samples, "django_http_requests_latency_seconds_by_view_method_count", view="healthz",
                  method="GET") >= 1


def test_a_detection_counts_its_mood_and_times_the_model(client, auth_client):
    catalog_tracks(30)
    before = _samples(client)

    mood = _detect(auth_client).json()["data"]["detected_mood"]
    after = _samples(client)

    read = "vexora_moods_read_total"
    assert _value(after, read, mood=mood, inference="inline") == _value(before, read, mood=mood, inference="inline") + 1
    count = "vexora_mood_detection_seconds_count"
    assert _value(after, count, stage="model") == _value(before, count, stage="model") + 1
    assert _value(after, "vexora_mood_detection_seconds_sum", stage="model") > _value(
        before, "vexora_mood_detection_seconds_sum", stage="model")


def test_worker_mode_times_the_dispatch_and_counts_timeouts(client, auth_client, settings, private_redis):
    catalog_tracks(30)
    settings.MOOD_INFERENCE = "worker"
    settings.MOOD_INFERENCE_REDIS_URL = private_redis
    before = _samples(client)

    assert _detect(auth_client).status_code == 200
    settings.MOOD_INFERENCE_TIMEOUT = 0.001
    assert _detect(auth_client).status_code == 503
    after = _samples(client)

    count = "vexora_mood_detection_seconds_count"
    assert _value(after, count, stage="dispatch") == _value(before, count, stage="dispatch") + 1
    timeouts = "vexora_mood_inference_timeouts_total"
    assert _value(after, timeouts) == _value(before, timeouts) + 1


def test_queue_depth_is_read_from_the_broker(client, settings, private_redis):
    import redis

    settings.CELERY_BROKER_URL = f"{private_redis}/3"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.lpush("inference", "a", "b", "c")
    broker.lpush("celery", "d")

    samples = _samples(client)

    assert _value(samples, "vexora_queue_depth", queue="inference") == 3
    assert _value(samples, "vexora_queue_depth", queue="celery") == 1


def test_no_queue_depth_without_a_broker(client):
    assert not [key for key in _samples(client) if key[0] == "vexora_queue_depth"]
