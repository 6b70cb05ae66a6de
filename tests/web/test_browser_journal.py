"""In a real browser (a Chromium whose clock says Europe/Paris): signing in takes the browser's time
zone; the month calendar used with the keyboard; the year in pixels; the insights; a note and tags
on a result; the data download; deleting the account. axe-core finds no violation on these pages,
and none is wider than the screen; screenshots at 1280x800 and 390x844 go to test-artifacts/web/."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from accounts.reminders import reminder_unsubscribe_token
from history.models import HistoryEntry
from history.services import history_entry_update, history_record
from tests.accounts.leftovers import rows_about_user
from tests.factories import DEFAULT_PASSWORD
from tests.history.factories import probabilities_for
from tests.web.conftest import DESKTOP, PHONE, _launch, _page, assert_accessible, assert_fits, log_in

pytestmark = pytest.mark.browser

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def paris_context(playwright_driver, live_server, tmp_path_factory):
    """Chromium in Europe/Paris that accepts downloads (the data export)."""
    context = _launch(playwright_driver, tmp_path_factory.mktemp("chromium-profile-paris"), [],
                      timezone_id="Europe/Paris", accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def paris_page(paris_context, live_server, settings, transactional_db):
    page = _page(paris_context, live_server, settings)
    yield page
    page.close()


def fits_and_shoot(page, name: str, shoot) -> None:
    """No horizontal overflow at either width; a full-page screenshot at each."""
    for label, viewport in (("1280x800", DESKTOP), ("390x844", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)
        assert_fits(page, f"{name} at {viewport['width']}px")
        shoot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def reading(user, mood: str, when: dt.datetime, tracks=(), tags=(), note=None):
    entry = history_record(user=user, mood=mood, confidence=0.7, probabilities=probabilities_for(mood, 0.7),
                           tracks=list(tracks))
    HistoryEntry.objects.filter(pk=entry.pk).update(created_at=when)
    entry.refresh_from_db()
    if tags or note is not None:
        history_entry_update(entry=entry, tags=list(tags), note=note)
    return entry


def a_season_of_readings(user, tracks) -> dt.date:
    """Readings over the last ten weeks (Paris days): exercise days mostly happy, others mixed;
    returns today in Paris."""
    today = dt.datetime.now(PARIS).date()
    for back in range(70):
        day = today - dt.timedelta(days=back)
        if back % 3 == 2:
            continue
        exercise = back % 4 == 0
        moods = ["happy", "happy"] if exercise else (["sad"] if back % 5 else ["happy", "angry"])
        for i, mood in enumerate(moods):
            when = dt.datetime.combine(day, dt.time(8 + 9 * i, 15), tzinfo=PARIS)
            if when > dt.datetime.now(PARIS):
                when = dt.datetime.now(PARIS) - dt.timedelta(minutes=5 + i)
            reading(user, mood, when, tracks=tracks[:3], tags=["exercise"] if exercise else ["work"] * (back % 2))
    return today


def test_signing_in_takes_the_browsers_time_zone_and_the_calendar_works_with_the_keyboard(
        paris_page, live_server, web_user, web_catalog, shoot):
    page = paris_page
    today = a_season_of_readings(web_user, web_catalog)
    log_in(page, live_server, web_user)
    web_user.refresh_from_db()
    assert web_user.time_zone == "Europe/Paris"  # from Intl, at sign-in

    page.get_by_role("link", name="History", exact=True).click()
    page.get_by_role("link", name="Month", exact=True).click()
    page.wait_for_url(f"{live_server.url}/calendar/")
    assert page.locator("h1").inner_text() == f"Your moods in {today:%B %Y}"
    today_cell = page.locator('td[aria-current="date"]')
    assert today_cell.inner_text().split()[0] == str(today.day)
    assert_accessible(page, "calendar month")
    fits_and_shoot(page, "calendar-month", shoot)

    # Keyboard only: Tab to today's link in the table, Enter opens that day's entries.
    target = today_cell.locator("a")
    label = target.locator(".visually-hidden").inner_text()
    assert re.match(rf"^\w{{3}} {today.day} {today:%B}: ", label)
    page.locator(".calendar").evaluate("table => table.closest('section').focus()")  # start near the table
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == f"/history/?day={today.isoformat()}":
            break
    else:
        pytest.fail("today's link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/history/?day={today.isoformat()}")
    expected = HistoryEntry.objects.filter(
        user=web_user, created_at__gte=dt.datetime.combine(today, dt.time.min, tzinfo=PARIS)).count()
    assert page.locator("ol.entries > li").count() == expected > 0

    page.get_by_role("link", name="Year in pixels").click()
    page.wait_for_url(f"{live_server.url}/calendar/year/")
    assert page.locator(".pixel").count() in (365, 366)
    assert page.locator(".pixel.mood-happy").count() > 0
    assert "days with readings" in page.locator("#pixels-title").inner_text()
    assert_accessible(page, "calendar year")
    fits_and_shoot(page, "calendar-year", shoot)
    page.get_by_role("link", name=f"{today:%B}", exact=True).click()  # the text alternative leads to the month
    page.wait_for_url(f"{live_server.url}/calendar/?month={today:%Y-%m}")
    assert not page.problems, page.problems


def test_the_insights_page(paris_page, live_server, web_user, web_catalog, shoot):
    page = paris_page
    web_user.time_zone = "Europe/Paris"
    web_user.save()
    a_season_of_readings(web_user, web_catalog)
    log_in(page, live_server, web_user)

    page.goto(f"{live_server.url}/insights/")
    sentence = page.locator(".tag-sentence", has_text="tagged “exercise”")
    assert re.match(r"^On the \d+ days tagged “exercise”, \d+ \(\d+%\) were mostly \w+; on the \d+ other days",
                    sentence.inner_text())
    assert page.get_by_role("table", name="By weekday: readings and the share of each mood").is_visible()
    assert_accessible(page, "insights")
    fits_and_shoot(page, "insights", shoot)
    assert not page.problems, page.problems


def test_a_note_and_tags_on_a_result_then_seen_in_the_history(paris_page, live_server, web_user, web_catalog, shoot):
    page = paris_page
    entry = reading(web_user, "sad", dt.datetime.now(PARIS) - dt.timedelta(hours=1), tracks=web_catalog[:10])
    log_in(page, live_server, web_user)

    page.goto(f"{live_server.url}/result/{entry.uuid}/")
    page.get_by_role("textbox", name="Note").fill("Exam tomorrow, slept badly")
    page.get_by_label("sleep").check()
    page.get_by_label("Other tags").fill("exams")
    assert_accessible(page, "result with the note form")
    page.get_by_role("button", name="Save note and tags").click()
    page.wait_for_url(re.compile(r"/result/.+/#context-title$"))
    assert "Your note and tags were saved." in page.locator(".messages").inner_text()
    entry.refresh_from_db()
    assert entry.note == "Exam tomorrow, slept badly"
    assert sorted(tag.name for tag in entry.tags.all()) == ["exams", "sleep"]
    shoot(page, "result-note-and-tags")

    page.get_by_role("link", name="exams").click()
    page.wait_for_url(f"{live_server.url}/history/?tag=exams")
    assert page.locator("ol.entries > li").count() == 1
    assert page.locator("ol.entries .tag").all_inner_texts() == ["exams", "sleep"]
    assert_accessible(page, "history list")
    assert not page.problems, page.problems


def test_download_my_data_then_delete_my_account(paris_page, live_server, web_user, web_catalog, shoot, tmp_path):
    page = paris_page
    reading(web_user, "happy", dt.datetime.now(PARIS) - dt.timedelta(hours=2), tracks=web_catalog[:10],
            tags=["friends"], note="Picnic")
    log_in(page, live_server, web_user)
    page.get_by_role("link", name="Profile", exact=True).click()
    page.wait_for_url(f"{live_server.url}/profile/")
    assert_accessible(page, "profile")
    shoot(page, "profile-your-data")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    download = download_info.value
    assert re.fullmatch(r"vexora-data-ada-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        (item,) = json.loads(archive.read("history.json"))
        profile = json.loads(archive.read("profile.json"))
    assert (item["note"], item["tags"], len(item["tracks"]), profile["username"]) == ("Picnic", ["friends"], 10, "ada")

    page.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    page.get_by_label("I understand that my account and all its data are deleted for good").check()
    page.once("dialog", lambda dialog: dialog.accept() if "Delete your Vexora account" in dialog.message
              else dialog.dismiss())
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Your account and all its data were deleted." in page.locator(".messages").inner_text()
    assert not get_user_model().objects.filter(pk=web_user.pk).exists()
    assert rows_about_user(web_user) == []
    page.goto(f"{live_server.url}/home/")
    assert page.url.startswith(f"{live_server.url}/login/")
    assert not page.problems, page.problems


def test_the_unsubscribe_page_needs_no_login(paris_page, live_server, web_user, shoot):
    page = paris_page
    web_user.reminder_enabled, web_user.reminder_time = True, dt.time(20, 0)
    web_user.save()

    page.goto(f"{live_server.url}/reminders/unsubscribe/{reminder_unsubscribe_token(user=web_user)}/")
    assert_accessible(page, "unsubscribe")
    page.get_by_role("button", name="Stop reminders").click()
    assert "Reminders are off." in page.locator("main").inner_text()
    shoot(page, "reminders-unsubscribed")
    web_user.refresh_from_db()
    assert web_user.reminder_enabled is False
    assert not page.problems, page.problems
