"""The scan page's server side: the upload goes through moods.services.mood_detect (the real
model on the test portrait), a history entry is stored, the result page shows it; bad uploads are
explained once, next to the field; the webcam's fetch() gets each step as an NDJSON line, or one
JSON refusal."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from history.models import HistoryEntry
from tests.web.conftest import ASTRONAUT
from vexora.templatetags.ui import mood_label

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def portrait():
    return SimpleUploadedFile("me.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")


def test_the_scan_page_offers_the_camera_and_the_upload(signed_in):
    content = signed_in.get("/scan/").content.decode()
    assert '<video id="camera-video" class="mirrored"' in content
    assert 'id="capture-button"' in content
    assert 'enctype="multipart/form-data"' in content
    assert 'name="image"' in content and 'accept="image/jpeg,image/png"' in content
    assert "/static/js/scan.js" in content


def test_an_uploaded_photo_is_read_and_opens_the_result(signed_in, catalog):
    response = signed_in.post("/scan/", {"image": portrait(), "strategy": "match"})
    entry = HistoryEntry.objects.get(user=signed_in.user)
    assert (response.status_code, response["Location"]) == (302, f"/result/{entry.uuid}/")
    assert entry.items.count() == 10

    page = signed_in.get(response["Location"])
    content = page.content.decode()
    assert page.context["entry"] == entry
    assert f'class="detected-mood">{mood_label(entry.mood)}<' in content
    assert content.count('class="track"') == 10
    assert content.count('href="https://open.spotify.com/track/') == 10


def ndjson(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def test_the_webcam_capture_gets_each_step_then_the_result_address(signed_in, catalog):
    response = signed_in.post("/scan/", {"image": portrait(), "strategy": "uplift"}, **FETCH)
    assert response.status_code == 200
    assert not HistoryEntry.objects.exists()  # nothing is done before the answer is read, step by step
    lines = ndjson(response)
    entry = HistoryEntry.objects.get(user=signed_in.user)
    assert lines == [{"stage": "face", "text": "Finding your face and reading your mood…"},
                     {"stage": "songs", "text": "Picking songs for your mood…"},
                     {"ok": True, "redirect": f"/result/{entry.uuid}/"}]
    assert entry.strategy == "uplift"


def test_the_webcam_capture_without_a_face_ends_with_the_reason(signed_in, catalog):
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), (90, 140, 200)).save(buffer, "JPEG")
    sky = SimpleUploadedFile("sky.jpg", buffer.getvalue(), content_type="image/jpeg")
    lines = ndjson(signed_in.post("/scan/", {"image": sky}, **FETCH))
    assert lines[0] == {"stage": "face", "text": "Finding your face and reading your mood…"}
    assert lines[-1] == {"ok": False, "error": "No face was found in that photo.", "no_face": True,
                         "hint": "Face the camera in good light, with nothing covering your face, and try again."}
    assert not HistoryEntry.objects.exists()


def test_a_text_file_named_jpg_is_refused_next_to_the_field(signed_in):
    fake = SimpleUploadedFile("holiday.jpg", b"just some text\n", content_type="image/jpeg")
    response = signed_in.post("/scan/", {"image": fake})
    assert response.status_code == 415
    assert response.context["form"].errors["image"] == ["The file is not a PNG or JPEG image."]
    assert 'id="id_image_error"' in response.content.decode()
    assert not HistoryEntry.objects.exists()


def test_the_webcam_capture_gets_its_error_as_json(signed_in):
    fake = SimpleUploadedFile("webcam.jpg", b"\xff\xd8 broken", content_type="image/jpeg")
    response = signed_in.post("/scan/", {"image": fake}, **FETCH)
    assert response.status_code in (400, 415)
    body = json.loads(response.content)
    assert body["ok"] is False and body["error"]


def test_no_face_says_so_and_invites_another_try(signed_in, catalog):
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), (90, 140, 200)).save(buffer, "JPEG")
    sky = SimpleUploadedFile("sky.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = signed_in.post("/scan/", {"image": sky})
    assert response.status_code == 400
    content = response.content.decode()
    message = "No face was found in that photo. Face the camera in good light, with nothing covering your face, " \
              "and try again."
    assert response.context["form"].errors["image"] == [message]
    assert content.count("No face") == 1  # said once, next to the field (no flash, no second notice)
    assert "autofocus" in re.search(r'<input type="file"[^>]*>', content).group(0)
    assert not HistoryEntry.objects.exists()


def test_no_file_is_an_error_next_to_the_field(signed_in):
    response = signed_in.post("/scan/", {"strategy": "match"})
    assert response.status_code == 400
    assert response.context["form"].errors["image"] == ["This field is required."]


def test_an_oversized_upload_is_refused_before_it_is_read(signed_in, settings):
    settings.MOOD_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.jpg", b"\xff" * 200_000, content_type="image/jpeg")
    response = signed_in.post("/scan/", {"image": big})
    assert response.status_code == 413
    assert "larger than 1 KB" in response.content.decode()
    assert not HistoryEntry.objects.exists()


def test_scans_are_rate_limited_like_the_api(signed_in, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mood_detect": "2/min"}
    fake = b"not an image"
    for _ in range(2):
        signed_in.post("/scan/", {"image": SimpleUploadedFile("x.jpg", fake)})
    response = signed_in.post("/scan/", {"image": SimpleUploadedFile("x.jpg", fake)})
    assert response.status_code == 429
    assert "Too many attempts" in response.context["form"].errors["image"][0]
