"""GET user/export: everything Vexora keeps about the caller, as a zip of JSON and CSV files
(history.exports.user_data_export); nobody else's data, never the password."""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from history.services import history_entry_update
from music.services import playlist_create
from music.taste import taste_update, track_feedback_set
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import entry_with_tracks
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db
FILES = {"README.txt", "profile.json", "history.json", "history.csv", "history_tracks.csv", "tags.json",
         "taste.json", "playlists.json", "playlists.csv"}


def unzip(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="vexora-data-')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_export_holds_the_profile_history_tags_and_playlists(auth_client, other_user):
    user = auth_client.user
    user.time_zone = "Asia/Tokyo"
    user.save()
    tracks = TrackFactory.create_batch(3)
    entry = entry_with_tracks(user=user, tracks=tracks[:2], mood="sad",
                              created_at=dt.datetime(2026, 11, 3, 23, 30, tzinfo=dt.timezone.utc))
    history_entry_update(entry=entry, note="Rain all day", tags=["weather", "Work"])
    playlist_create(user=user, name="Rainy", description="for grey days", track_ids=[tracks[2].id, tracks[0].id])
    playlist_create(user=user, name="Empty")
    theirs = entry_with_tracks(user=other_user, tracks=1)
    history_entry_update(entry=theirs, note="not yours", tags=["secret"])
    playlist_create(user=other_user, name="Their list")

    files = unzip(auth_client.get(f"{API}user/export"))

    assert set(files) == FILES
    profile = json.loads(files["profile.json"])
    assert (profile["uuid"], profile["username"], profile["email"], profile["time_zone"]) == (
        str(user.uuid), user.username, user.email, "Asia/Tokyo")
    assert "password" not in files["profile.json"].decode()
    (item,) = json.loads(files["history.json"])
    assert (item["uuid"], item["mood"], item["effective_mood"], item["note"], item["tags"]) == (
        str(entry.uuid), "sad", "sad", "Rain all day", ["weather", "Work"])
    assert (item["created_at"], item["local_date"], item["local_time"]) == ("2026-11-03T23:30:00Z", "2026-11-04", "08:30")
    assert [track["id"] for track in item["tracks"]] == [tracks[0].id, tracks[1].id]
    assert item["probabilities"]["sad"] == pytest.approx(0.7)
    (row,) = rows(files["history.csv"])
    assert (row["uuid"], row["note"], row["tags"], row["track_count"]) == (str(entry.uuid), "Rain all day",
                                                                          "weather; Work", "2")
    assert [r["track_id"] for r in rows(files["history_tracks.csv"])] == [tracks[0].id, tracks[1].id]
    assert {t["name"]: t["entries"] for t in json.loads(files["tags.json"])} == {"weather": 1, "Work": 1}
    playlists = json.loads(files["playlists.json"])
    assert [(p["name"], p["description"]) for p in playlists] == [("Rainy", "for grey days"), ("Empty", "")]
    assert [t["id"] for t in playlists[0]["tracks"]] == [tracks[2].id, tracks[0].id]
    assert [(r["playlist_name"], r["track_id"]) for r in rows(files["playlists.csv"])] == [
        ("Rainy", tracks[2].id), ("Rainy", tracks[0].id), ("Empty", "")]
    everything = b"".join(files.values()).decode()
    assert "not yours" not in everything and "secret" not in everything and "Their list" not in everything
    assert str(other_user.uuid) not in everything


def test_the_persons_correction_is_exported_beside_the_models_reading(auth_client):
    corrected = entry_with_tracks(user=auth_client.user, tracks=0, mood="sad", corrected_mood="happy",
                                  created_at=dt.datetime(2026, 11, 3, 8, tzinfo=dt.timezone.utc))
    entry_with_tracks(user=auth_client.user, tracks=0, mood="angry",
                      created_at=dt.datetime(2026, 11, 4, 8, tzinfo=dt.timezone.utc))

    files = unzip(auth_client.get(f"{API}user/export"))

    items = json.loads(files["history.json"])
    assert [(i["uuid"], i["mood"], i["corrected_mood"], i["effective_mood"]) for i in items][0] == (
        str(corrected.uuid), "sad", "happy", "happy")
    assert [(i["mood"], i["corrected_mood"], i["effective_mood"]) for i in items][1] == ("angry", None, "angry")
    assert [(r["mood"], r["corrected_mood"], r["effective_mood"]) for r in rows(files["history.csv"])] == [
        ("sad", "happy", "happy"), ("angry", "", "angry")]


def test_the_taste_is_exported_and_nobody_elses(auth_client, other_user):
    liked, skipped = TrackFactory(name="Blue in Green", genre="jazz"), TrackFactory(name="Noise", genre="metal")
    TrackFactory(genre="k-pop")
    taste_update(user=auth_client.user, liked_genres=["jazz"], blocked_genres=["metal"], explicit=False)
    track_feedback_set(user=auth_client.user, track_id=liked.id, rating="like")
    track_feedback_set(user=auth_client.user, track_id=skipped.id, rating="skip")
    taste_update(user=other_user, liked_genres=["k-pop"])

    taste = json.loads(unzip(auth_client.get(f"{API}user/export"))["taste.json"])

    assert (taste["explicit"], taste["liked_genres"], taste["blocked_genres"]) == (False, ["jazz"], ["metal"])
    assert [(r["id"], r["name"], r["rating"]) for r in taste["track_ratings"]] == [
        (liked.id, "Blue in Green", "like"), (skipped.id, "Noise", "skip")]


def test_a_new_account_exports_the_default_taste(auth_client):
    taste = json.loads(unzip(auth_client.get(f"{API}user/export"))["taste.json"])
    assert taste == {"explicit": True, "liked_genres": [], "blocked_genres": [], "track_ratings": []}


def test_spreadsheet_formulas_in_text_are_defused_in_csv_only(auth_client):
    entry = entry_with_tracks(user=auth_client.user, tracks=0)
    history_entry_update(entry=entry, note='=HYPERLINK("http://evil.example","click")')

    files = unzip(auth_client.get(f"{API}user/export"))

    assert rows(files["history.csv"])[0]["note"] == '\'=HYPERLINK("http://evil.example","click")'
    assert json.loads(files["history.json"])[0]["note"] == '=HYPERLINK("http://evil.example","click")'


def test_a_picture_stored_here_comes_with_the_export(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    name = default_storage.save("profile-pictures/me.jpg", ContentFile(b"\xff\xd8 a jpeg"))
    user = auth_client.user
    user.file_id, user.profile_picture = f"local:{name}", name  # the picture's location, as stored
    user.save()

    files = unzip(auth_client.get(f"{API}user/export"))

    assert files["profile-picture.jpg"] == b"\xff\xd8 a jpeg"
    # The URL is built for the address the request used.
    assert json.loads(files["profile.json"])["profile_picture"] == f"http://testserver/media/{name}"


def test_a_new_account_exports_empty_lists(auth_client):
    files = unzip(auth_client.get(f"{API}user/export"))
    assert json.loads(files["history.json"]) == [] and json.loads(files["playlists.json"]) == []
    assert files["history.csv"].decode().startswith("uuid,created_at,local_date,local_time,mood,corrected_mood,effective_mood")


def test_exports_are_rate_limited_per_person(auth_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "data_export": "2/hour"}
    for _ in range(2):
        assert auth_client.get(f"{API}user/export").status_code == 200
    body = assert_envelope(auth_client.get(f"{API}user/export"), 429)
    assert body["data"]["retry_after"] > 0


def test_without_a_token_it_is_a_401_in_the_envelope(api_client):
    assert_envelope(api_client.get(f"{API}user/export"), 401, "authentication required")
