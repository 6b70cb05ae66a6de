"""What a service refuses reads in the page's language: messages the API shares (lazy, or marked in
the framework-free modules) become Indonesian page text through vexora.web.sentence, while the API
keeps its English ``message``."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from history.services import TOO_MANY_TAGS
from moods.ml.errors import NoFaceDetected
from vexora.errors import NotFound
from vexora.images import megapixels
from vexora.web import sentence

pytestmark = pytest.mark.django_db
INDONESIAN = {"HTTP_ACCEPT_LANGUAGE": "id"}


def _damaged_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 80, 120)).save(buffer, "PNG")
    return buffer.getvalue()[:-200]  # the header says PNG; the data stops short


def test_a_damaged_picture_is_refused_in_indonesian_on_the_profile_page(signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.png", _damaged_png(), content_type="image/png")

    page = signed_in.post("/profile/picture/", {"image": upload}, **INDONESIAN)

    assert page.status_code == 400
    assert page.context["picture_form"].errors["image"] == ["Gambar rusak atau tidak lengkap."]


def test_the_api_says_it_in_english(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.png", _damaged_png(), content_type="image/png")

    answer = auth_client.put("/api/v1/user/profile-picture", {"image": upload}, format="multipart", **INDONESIAN)

    assert (answer.status_code, answer["Content-Language"]) == (400, "en")
    assert answer.json()["message"] == "the image is damaged or incomplete"


@pytest.mark.parametrize("message, english, indonesian", [
    (TOO_MANY_TAGS, "At most 10 tags on an entry.", "Paling banyak 10 tag pada satu entri."),
    (NoFaceDetected.default_message, "No face detected in the image.", "Tidak ada wajah yang terdeteksi di gambar."),
    (NotFound.default_message, "Not found.", "Tidak ditemukan."),
])
def test_page_text_of_shared_messages(message, english, indonesian):
    with translation.override("en"):
        assert sentence(message) == english
    with translation.override("id"):
        assert sentence(message) == indonesian


def test_numbers_in_messages_follow_the_language():
    with translation.override("en"):
        assert megapixels(12_600_000) == "12.6 megapixels"
    with translation.override("id"):
        assert megapixels(12_600_000) == "12,6 megapiksel"
