"""In a real browser: saving a result as a playlist and finding it listed; filtering the history
by mood and by month (a list of the months that have entries); opening an entry's tracks; deleting
an entry."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from history.models import HistoryEntry
from history.services import history_record
from music.models import Playlist
from tests.history.factories import probabilities_for
from tests.web.conftest import log_in

pytestmark = pytest.mark.browser


def record(user, mood, tracks, *, when=None):
    entry = history_record(user=user, mood=mood, confidence=0.7, probabilities=probabilities_for(mood, 0.7),
                           tracks=tracks)
    if when is not None:
        HistoryEntry.objects.filter(pk=entry.pk).update(created_at=when)
        entry.refresh_from_db()
    return entry


def test_save_a_result_as_a_playlist_and_see_it_listed(page, live_server, web_user, web_catalog, shoot):
    entry = record(web_user, "sad", web_catalog[:10])
    log_in(page, live_server, web_user)
    page.goto(f"{live_server.url}/result/{entry.uuid}/")
    assert page.locator(".detected-mood").inner_text() == "Sad"

    page.get_by_label("Playlist name").fill("Rainy Sunday")
    page.get_by_role("button", name="Save as playlist").click()
    page.wait_for_url(re.compile(r"/playlists/[0-9a-f-]{36}/$"))
    assert "Saved as the playlist “Rainy Sunday”" in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "Rainy Sunday"
    assert page.locator("#songs ol.tracks > li").count() == 10
    shoot(page, "playlist-detail")

    page.get_by_role("link", name="Playlists", exact=True).click()
    page.wait_for_url(f"{live_server.url}/playlists/")
    item = page.locator(".playlist-item", has_text="Rainy Sunday")
    assert "10 songs" in item.inner_text()
    shoot(page, "playlists")

    playlist = Playlist.objects.get(user=web_user)
    assert playlist.name == "Rainy Sunday"
    assert list(playlist.items.order_by("position").values_list("track_id", flat=True)) == \
        [track.id for track in web_catalog[:10]]
    assert not page.problems, page.problems


def test_filter_the_history_by_mood_and_month(page, live_server, web_user, web_catalog, shoot):
    now = timezone.now()
    last_year = now - dt.timedelta(days=400)
    record(web_user, "happy", web_catalog[0:3])
    record(web_user, "sad", web_catalog[3:6])
    sad_old = record(web_user, "sad", web_catalog[6:9], when=last_year)
    record(web_user, "angry", web_catalog[9:12], when=last_year)
    log_in(page, live_server, web_user)

    page.get_by_role("link", name="History", exact=True).click()
    page.wait_for_url(f"{live_server.url}/history/")
    entries = page.locator("ol.entries > li")
    assert entries.count() == 4
    assert entries.locator(".mood-chip").all_inner_texts()[0].endswith("Sad")  # newest first
    shoot(page, "history")

    page.get_by_label("Mood").select_option("sad")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/history/\?mood=sad"))
    assert entries.count() == 2
    assert all(text.endswith("Sad") for text in entries.locator(".mood-chip").all_inner_texts())
    assert page.get_by_label("Mood").input_value() == "sad"  # the filter is kept

    month = timezone.localtime(last_year).strftime("%Y-%m")
    offered = page.get_by_label("Month").locator("option").all_inner_texts()  # the months that have entries
    assert offered == ["All months", timezone.localtime(now).strftime("%B %Y"), timezone.localtime(last_year).strftime("%B %Y")]
    page.get_by_label("Month").select_option(month)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(rf"month={month}"))
    assert entries.count() == 1
    assert page.locator("#result-count").inner_text() == "1 entry matches the filter."

    entries.first.locator("summary").click()  # opens its tracks
    tracks = entries.first.locator("ol.tracks > li")
    assert tracks.locator(".track-name").all_inner_texts() == [t.name for t in web_catalog[6:9]]
    shoot(page, "history-filtered")

    page.once("dialog", lambda dialog: dialog.accept() if "Delete this sad entry" in dialog.message else
              dialog.dismiss())
    page.get_by_role("button", name=re.compile("^Delete")).click()
    page.wait_for_url(re.compile(rf"month={month}"))
    assert "was deleted" in page.locator(".messages").inner_text()
    assert entries.count() == 0
    assert not HistoryEntry.objects.filter(pk=sad_old.pk).exists()
    assert HistoryEntry.objects.filter(user=web_user).count() == 3
    assert not page.problems, page.problems
