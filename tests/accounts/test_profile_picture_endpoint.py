"""PUT /api/v1/user/profile-picture: the endpoint around accounts.pictures (tested on its own)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.support import API, assert_envelope

pytestmark = pytest.mark.django_db

URL = API + "user/profile-picture"


def _png(size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def test_upload_replaces_the_picture(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = auth_client.user.profile_picture

    response = auth_client.put(URL, {"image": _png()}, format="multipart")

    assert_envelope(response, 200, "upload image success!", notify=True, data=None)
    user = get_user_model().objects.get(pk=auth_client.user.pk)
    assert user.profile_picture and user.profile_picture != before and user.file_id
    profile = assert_envelope(auth_client.get(API + "user"), 200)["data"]
    # the URL is built for the request's host from the stored media name
    assert profile["profile_picture"] == f"http://testserver/media/{user.profile_picture}"
    assert profile["file_id"] == user.file_id


def test_a_missing_image_is_a_400(auth_client):
    body = assert_envelope(auth_client.put(URL, {}, format="multipart"), 400)

    assert list(body["errors"]) == ["image"]


def test_a_non_image_is_refused_with_a_4xx_envelope(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("notes.png", b"just some text, not a picture", content_type="image/png")

    response = auth_client.put(URL, {"image": upload}, format="multipart")

    assert 400 <= response.status_code < 500
    assert_envelope(response, response.status_code)
    assert get_user_model().objects.get(pk=auth_client.user.pk).file_id == ""


def test_it_needs_authentication(api_client):
    assert_envelope(api_client.put(URL, {"image": _png()}, format="multipart"), 401, "authentication required")
