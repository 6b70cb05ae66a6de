"""DELETE user: a person deletes their account, password re-confirmed. Everything goes for good:
history, notes, tags, playlists, taste and ratings, the picture (local or ImageKit), token revocations, sessions, admin
log lines about it; every token of the account is refused from then on. Nothing of anyone else is
touched (accounts.services.user_delete; the profile page: tests/web/test_pages_account_delete.py)."""

import io

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.pictures import profile_picture_replace
from accounts.services import token_pair_issue
from history.models import HistoryEntry
from history.services import history_entry_update
from music.models import Track
from music.services import playlist_create
from music.taste import taste_update, track_feedback_set
from tests.accounts.leftovers import rows_about_user
from tests.accounts.support import API, assert_envelope
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 40, 90)).save(out, "JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def a_full_account(user, staff):
    """History with tracks, a note and tags; playlists; a taste and a track rating; a logout (a
    revocation row); a staff edit in the admin log; a browser session."""
    entry = entry_with_tracks(user=user, tracks=3)
    history_entry_update(entry=entry, note="rain", tags=["weather", "own tag"])
    playlist_create(user=user, name="Mine", track_ids=[item.track_id for item in entry.items.all()])
    taste_update(user=user, liked_genres=[entry.items.first().track.genre], explicit=False)
    track_feedback_set(user=user, track_id=entry.items.first().track_id, rating="like")
    pair = token_pair_issue(user=user)
    Client().post(f"{API}logout", {"refresh_token": pair["refresh_token"]}, content_type="application/json")
    LogEntry.objects.log_actions(staff.pk, [user], CHANGE, change_message="verified by hand", single_object=True)
    browser = Client()
    browser.force_login(user)
    return browser


def _delete(client, password=DEFAULT_PASSWORD):
    return client.delete(f"{API}user", {"password": password}, format="json")


def test_a_deleted_account_leaves_no_row_behind(auth_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    other_user = UserFactory()
    user = auth_client.user
    profile_picture_replace(user=user, upload=jpeg())
    picture = tmp_path / user.file_id.removeprefix("local:")
    staff = UserFactory(is_staff=True)
    browser = a_full_account(user, staff)
    a_full_account(other_user, staff)  # someone else, with the same kinds of things
    assert picture.exists()
    assert len(rows_about_user(user)) >= 11  # the check finds them: history, tags, playlists, taste, tokens, log...
    others_before = rows_about_user(other_user)
    tracks = Track.objects.count()

    assert_envelope(_delete(auth_client), 200, "account deleted!", notify=True, data=None)

    assert rows_about_user(user) == []
    assert not picture.exists()
    assert rows_about_user(other_user) == others_before  # nothing of anyone else
    assert Track.objects.count() == tracks  # the catalog stays
    assert browser.get("/home/")["Location"].startswith("/login/")  # that browser is signed out


def test_every_token_of_the_account_stops_working(auth_client):
    user = auth_client.user
    other_session = token_pair_issue(user=user)

    assert_envelope(_delete(auth_client), 200)

    assert_envelope(auth_client.get(f"{API}user"), 401, "user not found")
    assert_envelope(Client().get(f"{API}history", HTTP_AUTHORIZATION=f"Bearer {other_session['access_token']}"), 401)
    for refresh in (auth_client.tokens["refresh_token"], other_session["refresh_token"]):
        response = Client().post(f"{API}refresh", {"refresh_token": refresh}, content_type="application/json")
        assert_envelope(response, 401, "invalid or expired refresh token")


def test_a_wrong_password_deletes_nothing(auth_client):
    user = auth_client.user
    entry_with_tracks(user=user, tracks=1)

    body = assert_envelope(_delete(auth_client, "not-my-password"), 400, "current password is incorrect")

    assert body["errors"] == {"password": ["current password is incorrect"]}
    assert HistoryEntry.objects.filter(user=user).count() == 1
    assert_envelope(auth_client.get(f"{API}user"), 200)


def test_the_password_is_required(auth_client):
    body = assert_envelope(auth_client.delete(f"{API}user", {}, format="json"), 400)
    assert "password" in body["errors"]
    assert type(auth_client.user).objects.filter(pk=auth_client.user.pk).exists()


def test_the_imagekit_picture_is_deleted_there(auth_client, imagekit_stub):
    user = auth_client.user
    profile_picture_replace(user=user, upload=jpeg())
    file_id = user.file_id

    assert_envelope(_delete(auth_client), 200)

    assert imagekit_stub.deleted_ids() == [file_id]
    assert not type(user).objects.filter(pk=user.pk).exists()


def test_when_imagekit_cannot_delete_the_picture_nothing_is_deleted(auth_client, imagekit_stub):
    user = auth_client.user
    profile_picture_replace(user=user, upload=jpeg())
    entry_with_tracks(user=user, tracks=1)
    imagekit_stub.delete_mode = "error"

    assert_envelope(_delete(auth_client), 502, "could not delete the profile picture, please try again later")

    assert type(user).objects.filter(pk=user.pk).exists() and HistoryEntry.objects.filter(user=user).exists()
    imagekit_stub.delete_mode = "ok"
    assert_envelope(_delete(auth_client), 200)  # and a retry goes through
    assert not HistoryEntry.objects.exists()


def test_deleting_is_rate_limited_like_password_changes(auth_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_change": "2/min"}
    for _ in range(2):
        assert_envelope(_delete(auth_client, "wrong-guess"), 400)
    assert_envelope(_delete(auth_client), 429)  # even the right password waits
    assert type(auth_client.user).objects.filter(pk=auth_client.user.pk).exists()


def test_without_a_token_it_is_a_401(api_client, user):
    assert_envelope(api_client.delete(f"{API}user", {"password": DEFAULT_PASSWORD}, format="json"), 401)
    assert type(user).objects.filter(pk=user.pk).exists()


def test_what_cascades_with_an_account():
    """The CASCADE graph the deletion relies on: every table pointing at an account goes with it
    (a PROTECT or SET_NULL here would keep rows or block deletions)."""
    User = get_user_model()
    pointing = {(f.model._meta.label, f.name, f.remote_field.on_delete.__name__)
                for model in apps.get_models() for f in model._meta.get_fields()
                if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is User and f.concrete}
    assert {on_delete for _, _, on_delete in pointing} == {"CASCADE"}, pointing
    assert {("history.HistoryEntry", "user", "CASCADE"), ("history.Tag", "user", "CASCADE"),
            ("music.Playlist", "user", "CASCADE"), ("accounts.RevokedToken", "user", "CASCADE"),
            ("music.Taste", "user", "CASCADE"), ("music.TrackFeedback", "user", "CASCADE"),
            ("music.GenrePreference", "user", "CASCADE")} <= pointing
