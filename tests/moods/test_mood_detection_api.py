"""POST mood-detection with a real face photo: the answer, the history entry stored with it, and
nothing of the selfie kept anywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.dateparse import parse_datetime
from PIL import Image

from history.models import HistoryEntry, HistoryTrack
from tests.accounts.support import assert_envelope
from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"
MOODS = {"happy", "sad", "angry", "neutral"}
DATA_FIELDS = {"detected_mood", "confidence", "uncertain", "probabilities", "music", "history_uuid", "created_at",
               "strategy"}
TRACK_FIELDS = {"id", "name", "playlist_name", "artist", "album", "year", "duration_ms", "genres", "path", "embed_url",
                "thumbnail", "reason"}


@pytest.fixture
def catalog(db):
    return catalog_tracks(40)


def _selfie(data=None, name="selfie.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, ASTRONAUT.read_bytes() if data is None else data, content_type=content_type)


def test_a_selfie_gives_a_mood_ten_tracks_and_a_history_entry(auth_client, catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()

    response = auth_client.post(URL, {"image": _selfie()}, format="multipart")

    body = assert_envelope(response, 200, "mood detected successfully!", notify=False)
    data = body["data"]
    assert set(data) == DATA_FIELDS
    assert data["detected_mood"] in MOODS  # which one is the model's business (tests/moods/test_detect.py)
    assert set(data["probabilities"]) == MOODS
    assert sum(data["probabilities"].values()) == pytest.approx(1.0, abs=1e-6)
    assert data["confidence"] == max(data["probabilities"].values()) == data["probabilities"][data["detected_mood"]]
    assert data["strategy"] == "match"
    assert len(data["music"]) == 10
    assert all(set(track) == TRACK_FIELDS for track in data["music"])
    assert {track["id"] for track in data["music"]} <= {track.id for track in catalog}
    assert len({track["artist"] for track in data["music"]}) == 10

    entry = HistoryEntry.objects.get(uuid=data["history_uuid"])
    assert entry.user == auth_client.user
    assert (entry.mood, entry.confidence, entry.strategy) == (data["detected_mood"], data["confidence"], "match")
    assert entry.probabilities == data["probabilities"]
    assert parse_datetime(data["created_at"]) == entry.created_at
    items = list(HistoryTrack.objects.filter(entry=entry).order_by("position"))
    assert [item.position for item in items] == list(range(10))
    assert [item.track_id for item in items] == [track["id"] for track in data["music"]]
    assert HistoryEntry.objects.count() == 1

    assert list(settings.MEDIA_ROOT.iterdir()) == []  # the selfie is not stored


def test_the_answer_is_the_detectors_reading_of_this_photo(auth_client, catalog, detector, astronaut_bytes):
    expected = detector.detect(astronaut_bytes).prediction

    data = assert_envelope(auth_client.post(URL, {"image": _selfie()}, format="multipart"), 200)["data"]

    assert data["detected_mood"] == expected.mood
    assert data["probabilities"] == pytest.approx(expected.probabilities, abs=1e-9)


def test_the_selfie_never_touches_the_disk_even_when_django_would_spool_it(auth_client, catalog, settings, tmp_path):
    # Django writes uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to FILE_UPLOAD_TEMP_DIR; here that
    # directory does not exist, so any attempt to write the selfie there would fail the request.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "missing")

    response = auth_client.post(URL, {"image": _selfie()}, format="multipart")

    assert_envelope(response, 200, "mood detected successfully!")
    assert not (tmp_path / "missing").exists()


def test_a_png_selfie_and_the_uplift_strategy(auth_client, catalog):
    with Image.open(ASTRONAUT) as photo:
        data = png_bytes(photo.convert("RGB"))

    response = auth_client.post(URL, {"image": _selfie(data, "me.png", "image/png"), "strategy": "uplift"},
                                format="multipart")

    body = assert_envelope(response, 200, "mood detected successfully!")
    assert body["data"]["strategy"] == "uplift"
    assert HistoryEntry.objects.get(uuid=body["data"]["history_uuid"]).strategy == "uplift"
    assert len(body["data"]["music"]) == 10


def test_the_detection_shows_in_the_history_endpoints(auth_client, catalog):
    data = assert_envelope(auth_client.post(URL, {"image": _selfie()}, format="multipart"), 200)["data"]

    listed = assert_envelope(auth_client.get("/api/v1/history"), 200)["data"]
    tracks = assert_envelope(auth_client.get(f"/api/v1/music/{data['history_uuid']}"), 200)["data"]
    most = assert_envelope(auth_client.get("/api/v1/history/most-mood"), 200)["data"]

    assert [(row["uuid"], row["mood"], row["track_count"]) for row in listed] == [
        (data["history_uuid"], data["detected_mood"], 10)]
    assert [row["id"] for row in tracks] == [track["id"] for track in data["music"]]
    assert most == {"mood": data["detected_mood"]}


def test_a_file_name_or_content_type_does_not_matter_only_the_content(auth_client, catalog):
    upload = SimpleUploadedFile("selfie.gif", ASTRONAUT.read_bytes(), content_type="application/octet-stream")
    assert_envelope(auth_client.post(URL, {"image": upload}, format="multipart"), 200, "mood detected successfully!")


def test_an_empty_catalog_still_records_the_mood(auth_client):
    data = assert_envelope(auth_client.post(URL, {"image": _selfie()}, format="multipart"), 200)["data"]

    assert data["music"] == []
    assert HistoryEntry.objects.get(uuid=data["history_uuid"]).items.count() == 0


@pytest.mark.parametrize("orientation", [6, 3])
def test_a_phone_photo_stored_sideways_is_read_the_right_way_up(auth_client, catalog, detector, astronaut,
                                                                 astronaut_bytes, orientation):
    # The photo turned the way a camera stores it, with the tag that turns it back (6: 90 degrees, 3: 180).
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = {6: Image.Transpose.ROTATE_90, 3: Image.Transpose.ROTATE_180}[orientation]
    upright = detector.detect(astronaut_bytes).prediction
    selfie = _selfie(jpeg_bytes(astronaut.transpose(stored), exif=exif))

    data = assert_envelope(auth_client.post(URL, {"image": selfie}, format="multipart"), 200)["data"]

    assert data["detected_mood"] == upright.mood
    for mood, p in upright.probabilities.items():
        assert data["probabilities"][mood] == pytest.approx(p, abs=0.05)
