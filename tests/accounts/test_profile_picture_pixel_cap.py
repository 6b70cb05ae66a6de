"""Profile pictures cap what an upload may cost to decode (settings.PICTURE_MAX_PIXELS, a 12 MP phone
photo by default): a bigger PNG is a 400 that says the limit and stores nothing, while a bigger phone
JPEG is decoded at a reduced scale (``accounts.pictures.picture_open``) and stored as usual."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.pictures import DECODE_SHORT_SIDE, picture_open
from tests.accounts.support import API, assert_envelope
from vexora.errors import InvalidInput

pytestmark = pytest.mark.django_db
URL = API + "user/profile-picture"
ABOVE_THE_DEFAULT_CAP = (4100, 3074)  # 12.6 million pixels and a few more


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def test_a_png_above_the_picture_cap_is_a_400_and_nothing_is_stored(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = SimpleUploadedFile("me.png", encode(Image.new("RGB", ABOVE_THE_DEFAULT_CAP, (200, 40, 90)), "PNG"),
                             content_type="image/png")

    body = assert_envelope(auth_client.put(URL, {"image": png}, format="multipart"), 400,
                           "the image has too many pixels", notify=True, data=None)

    assert body["errors"] == {"image": ["at most 12.6 megapixels"]}
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert (user.profile_picture, user.file_id) == (auth_client.user.profile_picture, "")
    assert not any(tmp_path.rglob("*.*"))


def test_a_phone_jpeg_above_the_cap_is_stored_as_a_512_square(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("photo.jpg", encode(Image.new("RGB", (5712, 4284), (200, 40, 90)), "JPEG", quality=85),
                               content_type="image/jpeg")

    assert_envelope(auth_client.put(URL, {"image": photo}, format="multipart"), 200, "upload image success!")

    [stored] = list(tmp_path.rglob("*.jpg"))
    assert Image.open(stored).size == (512, 512)


def test_a_big_jpeg_is_decoded_at_a_reduced_scale_for_the_picture():
    data = encode(Image.new("RGB", (5712, 4284), (200, 40, 90)), "JPEG", quality=85)

    image = picture_open(upload=data)

    assert image.size == (1428, 1071)  # a quarter: the shorter side stays above DECODE_SHORT_SIDE
    assert min(image.size) >= DECODE_SHORT_SIDE == 1024


def test_the_picture_cap_follows_settings(settings):
    settings.PICTURE_MAX_PIXELS = 1_000_000
    data = encode(Image.new("RGB", (1200, 900), (200, 40, 90)), "PNG")

    with pytest.raises(InvalidInput) as caught:
        picture_open(upload=data)

    assert caught.value.message == "the image has too many pixels"
    assert caught.value.errors == {"image": ["at most 1 megapixel"]}
