"""In a real browser, the result page as a moment: the mood-coloured hero, the songs starting in the
first screenful of a phone, "Not right? I feel…" changing the entry and its songs, Match / Lift
pressed (never disabled) and every list seen kept on the page, sharing the songs, light and dark."""

import pytest

from history.models import HistoryEntry
from history.services import history_record
from tests.web.conftest import PHONE, assert_accessible, assert_fits, log_in

pytestmark = pytest.mark.browser


def shown_tracks(page) -> list[str]:
    return page.locator("#songs > ol.tracks .track-name").all_inner_texts()


def stored_tracks(entry) -> list[str]:
    return list(entry.items.order_by("position").values_list("track__name", flat=True))


def test_a_correction_changes_the_entry_and_its_songs(page, live_server, web_user, web_catalog, shoot):
    entry = history_record(user=web_user, mood="happy", confidence=0.38, strategy="match",
                           probabilities={"happy": 0.38, "sad": 0.34, "angry": 0.08, "neutral": 0.2},
                           tracks=[t for t in web_catalog if t.valence > 0.6][:10])
    happy_songs = stored_tracks(entry)
    log_in(page, live_server, web_user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/result/{entry.uuid}/")

    assert page.locator("h1").inner_text() == "Maybe Happy?"  # not sure: it asks
    assert "not sure" in page.locator(".result-hero").inner_text()
    assert page.locator("ol.tracks > li").first.bounding_box()["y"] < PHONE["height"]  # songs in the first screen
    shoot(page, "result-unsure-phone", full_page=False)
    assert shown_tracks(page) == happy_songs

    page.get_by_role("button", name="Sad").click()  # "No, I feel…" Sad
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "You feel Sad"
    assert "Got it: you feel Sad" in page.locator(".messages").inner_text()
    entry.refresh_from_db()
    assert (entry.mood, entry.corrected_mood, entry.confidence) == ("happy", "sad", 0.38)
    sad_songs = stored_tracks(entry)
    assert shown_tracks(page) == sad_songs and not set(sad_songs) & set(happy_songs)
    earlier = page.locator("details.earlier")
    assert earlier.locator("summary").inner_text() == "Songs you saw before (1 list)"
    earlier.locator("summary").click()
    assert earlier.locator(".track-name").all_inner_texts() == happy_songs  # nothing seen is lost
    assert_fits(page)
    assert_accessible(page, "result after a correction")
    shoot(page, "result-corrected-phone")

    # Match / Lift: the current choice is pressed, not disabled; switching keeps the list seen.
    match = page.get_by_role("button", name="Match my mood")
    lift = page.get_by_role("button", name="Lift my mood")
    assert match.get_attribute("aria-pressed") == "true" and match.is_enabled()
    assert lift.get_attribute("aria-pressed") == "false"
    assert match.evaluate("b => getComputedStyle(b).opacity") == "1"
    lift.click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Lift my mood").get_attribute("aria-pressed") == "true"
    entry.refresh_from_db()
    assert entry.strategy == "uplift" and shown_tracks(page) == stored_tracks(entry)
    assert page.locator("details.earlier summary").inner_text() == "Songs you saw before (2 lists)"
    page.locator("details.earlier summary").click()
    assert page.locator("details.earlier h3").all_inner_texts() == ["Sad: match the mood", "Happy: match the mood"]
    assert page.locator("details.earlier .track-name").all_inner_texts() == sad_songs + happy_songs
    page.emulate_media(color_scheme="dark")
    assert_accessible(page, "result, dark")
    shoot(page, "result-lifted-phone-dark")
    page.emulate_media(color_scheme="light")

    assert HistoryEntry.objects.filter(user=web_user).count() == 1  # one detection, one entry
    assert page.get_by_role("link", name="History", exact=True).is_visible()
    page.goto(f"{live_server.url}/history/?mood=sad")
    assert page.locator("ol.entries > li").count() == 1
    assert not page.problems, page.problems


def test_the_songs_can_be_shared(browser_context, page, live_server, web_user, web_catalog):
    entry = history_record(user=web_user, mood="neutral", confidence=0.8,
                           probabilities={"happy": 0.1, "sad": 0.05, "angry": 0.05, "neutral": 0.8},
                           tracks=web_catalog[:3])
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, web_user)
    page.goto(f"{live_server.url}/result/{entry.uuid}/")
    if page.evaluate("() => !!navigator.share"):
        pytest.skip("this Chromium has a system share sheet; the clipboard path is not used")

    page.get_by_role("button", name="Share these songs").click()

    page.wait_for_function("() => document.getElementById('share-status').textContent !== ''")
    assert page.locator("#share-status").inner_text() == "Copied: paste your songs wherever you like."
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("My neutral (calm) songs from Vexora")
    for track in web_catalog[:3]:
        assert f"{track.name} — {track.artist}: https://open.spotify.com/track/{track.id}" in copied
    assert not page.problems, page.problems
