"""The scan page's words in Bahasa Indonesia: the script's texts come from the JavaScript
catalogue (/jsi18n/, djangojs), and the steps the server streams while it works (NDJSON) carry
their words in the request's language."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_catalogue_gives_the_scan_script_its_indonesian_texts(client):
    catalogue = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert json.dumps("Taking the photo in 3 seconds… look at the camera.") in catalogue
    assert json.dumps("Mengambil foto dalam 3 detik… lihat ke kamera.") in catalogue
    english = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert json.dumps("Mengambil foto dalam 3 detik… lihat ke kamera.") not in english


def test_the_streamed_steps_and_the_reason_are_in_the_request_language():
    client = Client()
    client.force_login(UserFactory())
    buffer = io.BytesIO()
    Image.new("RGB", (480, 360), (90, 140, 200)).save(buffer, "JPEG")
    sky = SimpleUploadedFile("sky.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post("/scan/", {"image": sky}, HTTP_ACCEPT_LANGUAGE="id", HTTP_X_REQUESTED_WITH="fetch",
                           HTTP_ACCEPT="application/x-ndjson, application/json")
    assert response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert lines[0] == {"stage": "face", "text": "Mencari wajahmu dan membaca suasana hatimu…"}
    assert lines[-1]["error"] == "Tidak ada wajah yang ditemukan di foto itu."
    assert lines[-1]["hint"].startswith("Hadapkan wajahmu ke kamera")


def test_the_script_catalogue_is_cached_and_revalidated(client):
    first = client.get("/jsi18n/?l=id", HTTP_ACCEPT_LANGUAGE="id")
    assert "max-age=3600" in first["Cache-Control"] and first["Last-Modified"]

    again = client.get("/jsi18n/?l=id", HTTP_ACCEPT_LANGUAGE="id", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304 and again.content == b""
