"""POST mood-detection refuses what it cannot read with a clear 4xx envelope, and records nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from history.models import HistoryEntry, HistoryTrack
from tests.accounts.support import assert_envelope
from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"


@pytest.fixture(autouse=True)
def catalog(db):
    return catalog_tracks(20)


def _upload(data: bytes, name="selfie.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _nothing_recorded():
    assert not HistoryEntry.objects.exists()
    assert not HistoryTrack.objects.exists()


@pytest.mark.parametrize("colour", [(255, 255, 255), (30, 30, 30)], ids=["white", "dark"])
def test_a_picture_without_a_face_is_a_400_and_nothing_is_recorded(auth_client, colour):
    blank = jpeg_bytes(Image.new("RGB", (640, 480), colour))

    response = auth_client.post(URL, {"image": _upload(blank)}, format="multipart")

    assert_envelope(response, 400, "no face detected in the image", notify=True, data=None)
    _nothing_recorded()


def test_a_missing_image_is_a_400(auth_client):
    body = assert_envelope(auth_client.post(URL, {"strategy": "match"}, format="multipart"), 400,
                           "image is required", notify=True)
    assert list(body["errors"]) == ["image"]
    _nothing_recorded()


def test_an_image_sent_as_text_is_missing(auth_client):
    body = assert_envelope(auth_client.post(URL, {"image": "selfie.jpg"}, format="multipart"), 400,
                           "image is required")
    assert list(body["errors"]) == ["image"]


def test_an_empty_file_is_a_400(auth_client):
    assert_envelope(auth_client.post(URL, {"image": _upload(b"")}, format="multipart"), 400)
    _nothing_recorded()


def test_a_text_file_is_refused_as_unsupported(auth_client):
    upload = _upload(b"definitely not a picture\n" * 20, "selfie.jpg", "image/jpeg")

    body = assert_envelope(auth_client.post(URL, {"image": upload}, format="multipart"), 415)

    assert body["message"] == "the file is not a PNG or JPEG image"
    _nothing_recorded()


def test_a_gif_is_refused_even_with_a_face_in_it(auth_client):
    with Image.open(ASTRONAUT) as photo:
        buffer = io.BytesIO()
        photo.convert("P").save(buffer, "GIF")

    response = auth_client.post(URL, {"image": _upload(buffer.getvalue(), "selfie.png", "image/png")},
                                format="multipart")

    assert response.status_code in (400, 415)
    assert_envelope(response, response.status_code, "the file is not a PNG or JPEG image")
    _nothing_recorded()


def test_a_truncated_jpeg_is_a_400(auth_client):
    data = ASTRONAUT.read_bytes()
    assert_envelope(auth_client.post(URL, {"image": _upload(data[: len(data) // 3])}, format="multipart"), 400)
    _nothing_recorded()


def test_an_image_over_the_cap_is_a_413(auth_client, settings):
    settings.MOOD_UPLOAD_MAX_BYTES = 20_000  # the photo is ~37 KB

    response = auth_client.post(URL, {"image": _upload(ASTRONAUT.read_bytes())}, format="multipart")

    assert_envelope(response, 413, "the image is larger than 19.5 KB", notify=True)
    _nothing_recorded()


def test_a_body_far_over_the_cap_is_refused_before_it_is_read(auth_client, settings):
    settings.MOOD_UPLOAD_MAX_BYTES = 20_000
    with Image.open(ASTRONAUT) as photo:
        big = png_bytes(photo.convert("RGB").resize((1024, 1024)))
    assert len(big) > 20_000 + 64 * 1024

    response = auth_client.post(URL, {"image": _upload(big, "big.png", "image/png")}, format="multipart")

    assert_envelope(response, 413, "the image is larger than 19.5 KB")
    _nothing_recorded()


@pytest.mark.parametrize("strategy", ["shuffle", "MATCH", "random"])
def test_an_unknown_strategy_is_a_400(auth_client, strategy):
    response = auth_client.post(URL, {"image": _upload(ASTRONAUT.read_bytes()), "strategy": strategy},
                                format="multipart")

    body = assert_envelope(response, 400, "unknown strategy: choose one of match, uplift")
    assert list(body["errors"]) == ["strategy"]
    _nothing_recorded()


def test_a_json_body_is_a_415(auth_client):
    response = auth_client.post(URL, {"image": "aGVsbG8="}, format="json")

    assert_envelope(response, 415)
    _nothing_recorded()


def test_it_needs_authentication(api_client):
    response = api_client.post(URL, {"image": _upload(ASTRONAUT.read_bytes())}, format="multipart")

    assert_envelope(response, 401, "authentication required")
    assert response["WWW-Authenticate"].startswith("Bearer")
    _nothing_recorded()


def test_an_invalid_token_is_a_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api_client.post(URL, {"image": _upload(ASTRONAUT.read_bytes())}, format="multipart")

    assert_envelope(response, 401)
    _nothing_recorded()


def test_only_post_is_allowed(auth_client):
    assert_envelope(auth_client.get(URL), 405)
