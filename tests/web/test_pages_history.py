"""Home, the history list (filters, delete) and the result page (save as playlist), through the
Django client: history's and music's selectors and services, checked in the database."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from history.models import HistoryEntry
from music.models import Playlist
from tests.history.factories import entry_with_tracks
from tests.music.factories import PlaylistFactory, TrackFactory

pytestmark = pytest.mark.django_db


def entry(user, mood, *, days_ago=0, tracks=3):
    made = entry_with_tracks(user=user, mood=mood, tracks=tracks)
    HistoryEntry.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    made.refresh_from_db()
    return made


# --- Home -------------------------------------------------------------------------------------
def test_home_greets_and_shows_the_most_frequent_mood_the_latest_entry_and_the_chart(signed_in, catalog, other_user):
    user = signed_in.user
    entry(user, "sad", days_ago=5)
    entry(user, "sad", days_ago=3)
    latest = entry(user, "happy", days_ago=0, tracks=4)
    entry(other_user, "angry")
    entry(other_user, "angry")

    response = signed_in.get("/home/")
    content = response.content.decode()
    assert f"Hi {user.name}!" in content
    assert response.context["most_mood"] == "sad"
    assert response.context["latest"] == latest
    assert [t.id for t in response.context["latest_tracks"]] == \
        list(latest.items.order_by("position").values_list("track_id", flat=True))
    assert len(response.context["picks"]) == 6
    assert 'class="mood-chart"' in content
    assert "3 scans from" in content  # the chart's text description
    assert content.count('class="seg mood-sad"') == 2 and content.count('class="seg mood-happy"') == 1
    assert "Angry: <strong>0</strong>" in content and "Sad: <strong>2</strong>" in content


def test_home_of_a_new_person_invites_a_first_scan(signed_in):
    content = signed_in.get("/home/").content.decode()
    assert "No scans yet" in content
    assert "Take your first scan" in content


# --- History list -----------------------------------------------------------------------------
def test_the_history_lists_own_entries_newest_first(signed_in, other_user):
    old = entry(signed_in.user, "sad", days_ago=10)
    new = entry(signed_in.user, "happy", days_ago=1)
    entry(other_user, "angry")
    response = signed_in.get("/history/")
    assert list(response.context["page"].object_list) == [new, old]
    assert "2 entries." in response.content.decode()


def test_the_history_filters_by_mood_and_month(signed_in):
    user = signed_in.user
    now = timezone.now()
    sad_now = entry(user, "sad")
    entry(user, "happy")
    sad_old = entry(user, "sad", days_ago=70)
    assert [e.uuid for e in signed_in.get("/history/?mood=sad").context["page"].object_list] == \
        [sad_now.uuid, sad_old.uuid]
    month = timezone.localtime(sad_old.created_at).strftime("%Y-%m")
    response = signed_in.get(f"/history/?mood=sad&month={month}")
    assert list(response.context["page"].object_list) == [sad_old]
    assert month != timezone.localtime(now).strftime("%Y-%m")


def test_the_month_filter_offers_the_months_that_have_entries(signed_in, other_user):
    user = signed_in.user
    entry(user, "sad")
    entry(user, "happy", days_ago=70)
    entry(user, "happy", days_ago=71)
    entry(other_user, "angry", days_ago=400)
    months = [timezone.localtime(timezone.now() - dt.timedelta(days=d)).strftime("%Y-%m") for d in (0, 70)]

    content = signed_in.get("/history/").content.decode()

    select = re.search(r'<select name="month"[^>]*>(.*?)</select>', content, re.DOTALL).group(1)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", *months]
    label = dt.date(int(months[1][:4]), int(months[1][5:]), 1).strftime("%B %Y")
    assert f'<option value="{months[1]}">{label}</option>' in select
    assert 'type="month"' not in content


def test_a_bad_month_is_explained_next_to_the_field(signed_in):
    entry(signed_in.user, "sad")
    response = signed_in.get("/history/?month=2026-13")
    assert response.status_code == 400
    assert response.context["form"].errors["month"] == ["Use the format YYYY-MM, e.g. 2026-11."]
    assert list(response.context["page"].object_list) == []


def test_deleting_an_entry(signed_in):
    doomed = entry(signed_in.user, "angry")
    kept = entry(signed_in.user, "happy")
    response = signed_in.post(f"/history/{doomed.uuid}/delete/", {"next": "/history/?mood=angry"})
    assert (response.status_code, response["Location"]) == (302, "/history/?mood=angry")
    assert list(HistoryEntry.objects.filter(user=signed_in.user)) == [kept]


def test_another_persons_entry_cannot_be_seen_or_deleted(signed_in, other_user):
    theirs = entry(other_user, "sad")
    assert signed_in.get(f"/result/{theirs.uuid}/").status_code == 404
    assert signed_in.post(f"/history/{theirs.uuid}/delete/").status_code == 404
    assert signed_in.post(f"/history/{theirs.uuid}/playlist/").status_code == 404
    assert HistoryEntry.objects.filter(pk=theirs.pk).exists()
    assert not Playlist.objects.exists()


# --- Result and save as playlist ---------------------------------------------------------------
def test_the_result_page_shows_mood_confidence_probabilities_and_tracks(signed_in):
    shown = entry(signed_in.user, "angry", tracks=5)
    content = signed_in.get(f"/result/{shown.uuid}/").content.decode()
    assert "😠" in content and 'class="detected-mood">Angry<' in content
    assert f'class="confidence">{round(shown.confidence * 100)}%<' in content
    assert content.count('role="meter"') == 4
    assert content.count('class="track"') == 5
    for item in shown.items.select_related("track"):
        assert item.track.name in content and item.track.spotify_url in content


def test_save_as_playlist_with_the_default_name(signed_in):
    saved = entry(signed_in.user, "happy", tracks=4)
    response = signed_in.post(f"/history/{saved.uuid}/playlist/", {"name": ""})
    playlist = Playlist.objects.get(user=signed_in.user)
    assert response["Location"] == f"/playlists/{playlist.uuid}/"
    assert playlist.name.startswith("Happy mix — ")
    assert list(playlist.items.order_by("position").values_list("track_id", flat=True)) == \
        list(saved.items.order_by("position").values_list("track_id", flat=True))


def test_save_as_playlist_with_a_taken_name_shows_the_error(signed_in):
    saved = entry(signed_in.user, "happy")
    PlaylistFactory(user=signed_in.user, name="Morning")
    response = signed_in.post(f"/history/{saved.uuid}/playlist/", {"name": "morning"})
    assert response.status_code == 400
    assert response.context["save_form"].errors["name"] == ["A playlist with this name already exists."]
    assert Playlist.objects.filter(user=signed_in.user).count() == 1


def test_unknown_result_is_the_styled_404(signed_in):
    response = signed_in.get("/result/8f14e45f-ceea-467f-a0e6-3c1b8b7a2f10/")
    assert response.status_code == 404
    assert b"We could not find that page" in response.content


def test_tracks_without_a_cover_show_their_generated_artwork(signed_in):
    track = TrackFactory(thumbnail="")
    shown = entry_with_tracks(user=signed_in.user, tracks=[track])
    content = signed_in.get(f"/result/{shown.uuid}/").content.decode()
    assert f'src="/covers/{track.id}.svg?v=' in content
    assert f'alt="Cover of {track.album}"' in content
