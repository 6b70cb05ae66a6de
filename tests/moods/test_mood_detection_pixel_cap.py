"""POST mood-detection caps what a selfie may cost to decode (settings.SELFIE_MAX_PIXELS, a 12 MP phone
photo by default): a bigger PNG or progressive JPEG is a 400 that says the limit and records nothing,
while a bigger phone JPEG is read at a reduced scale."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from history.models import HistoryEntry
from tests.accounts.support import assert_envelope
from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"
ABOVE_THE_DEFAULT_CAP = (4100, 3074)  # 12.6 million pixels and a few more


@pytest.fixture(autouse=True)
def catalog(db):
    return catalog_tracks(20)


def with_face(size) -> Image.Image:
    """A grey picture of ``size`` with the test portrait over half its shorter side."""
    side = min(size) // 2
    canvas = Image.new("RGB", size, (128, 128, 128))
    with Image.open(ASTRONAUT) as face:
        canvas.paste(face.convert("RGB").resize((side, side)), ((size[0] - side) // 2, (size[1] - side) // 2))
    return canvas


def upload(image: Image.Image, fmt: str, **params) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    name, content_type = ("selfie.png", "image/png") if fmt == "PNG" else ("selfie.jpg", "image/jpeg")
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def test_a_png_above_the_selfie_cap_is_a_400_that_names_the_limit(auth_client):
    png = upload(Image.new("RGB", ABOVE_THE_DEFAULT_CAP, (128, 128, 128)), "PNG")

    body = assert_envelope(auth_client.post(URL, {"image": png}, format="multipart"), 400,
                           "the image has too many pixels", notify=True, data=None)

    assert body["errors"] == {"image": ["at most 12.6 megapixels"]}
    assert not HistoryEntry.objects.exists()


def test_a_progressive_jpeg_above_the_selfie_cap_is_refused(auth_client):
    jpeg = upload(with_face(ABOVE_THE_DEFAULT_CAP), "JPEG", quality=85, progressive=True)

    assert_envelope(auth_client.post(URL, {"image": jpeg}, format="multipart"), 400, "the image has too many pixels")
    assert not HistoryEntry.objects.exists()


def test_a_phone_jpeg_above_the_selfie_cap_is_read_at_a_reduced_scale(auth_client):
    photo = upload(with_face((5712, 4284)), "JPEG", quality=85)  # 24.5 MP, as recent phones take them

    body = assert_envelope(auth_client.post(URL, {"image": photo}, format="multipart"), 200)

    assert body["data"]["history_uuid"] == str(HistoryEntry.objects.get().uuid)


def test_the_selfie_cap_follows_settings(auth_client, settings):
    picture = with_face((1200, 900))

    settings.SELFIE_MAX_PIXELS = 1_000_000
    body = assert_envelope(auth_client.post(URL, {"image": upload(picture, "PNG")}, format="multipart"), 400,
                           "the image has too many pixels")
    assert body["errors"] == {"image": ["at most 1 megapixel"]}

    settings.SELFIE_MAX_PIXELS = 1_080_000
    assert_envelope(auth_client.post(URL, {"image": upload(picture, "PNG")}, format="multipart"), 200)
