"""In a real browser whose language is Bahasa Indonesia (Playwright's locale "id-ID", so the
Accept-Language it sends): the scan page (its script's words from the JavaScript catalogue), a
result, the calendar (month and year) and the insights are in Indonesian, with no axe-core
violation and nothing wider than the screen at 1280 and 390 px; screenshots of each at 1280x800
and 390x844 go to test-artifacts/web/i18n-<page>-<width>.png."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client

from history.models import HistoryEntry
from history.services import history_entry_update, history_record
from tests.history.factories import probabilities_for
from tests.web.conftest import DESKTOP, PHONE, assert_accessible, assert_fits

pytestmark = pytest.mark.browser

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def signed_in(page, live_server, user) -> None:
    """A session for ``user`` in the browser (the login page is another part's; it is not the
    subject here)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])


def readings(user, tracks) -> None:
    """Six weeks of Jakarta days: exercise days happy, the others sad or mixed."""
    now = dt.datetime.now(JAKARTA)
    for back in range(42):
        day = now.date() - dt.timedelta(days=back)
        if back % 3 == 2:
            continue
        exercise = back % 4 == 0
        moods = ["happy"] if exercise else (["sad"] if back % 5 else ["happy", "angry"])
        for i, mood in enumerate(moods):
            when = min(dt.datetime.combine(day, dt.time(8 + 9 * i, 15), tzinfo=JAKARTA), now - dt.timedelta(minutes=5 + i))
            entry = history_record(user=user, mood=mood, confidence=0.7, probabilities=probabilities_for(mood, 0.7),
                                   tracks=list(tracks[:3]))
            HistoryEntry.objects.filter(pk=entry.pk).update(created_at=when)
            if exercise:
                history_entry_update(entry=entry, tags=["exercise"])


def check(page, name: str, shoot, *, heading: str) -> None:
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == heading
    assert_accessible(page, f"{name} in Indonesian")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)
        assert_fits(page, f"{name} in Indonesian at {viewport['width']}px")
        shoot(page, f"i18n-{name}-{viewport['width']}")
    page.set_viewport_size(DESKTOP)


def test_the_journal_pages_in_indonesian(indonesian_page, live_server, web_user, web_catalog, shoot):
    page = indonesian_page
    web_user.time_zone = "Asia/Jakarta"
    web_user.save()
    readings(web_user, web_catalog)
    signed_in(page, live_server, web_user)
    today = dt.datetime.now(JAKARTA).date()

    page.goto(f"{live_server.url}/scan/")
    page.wait_for_function("() => document.getElementById('camera-status').textContent.startsWith('Kamera menyala')")
    assert page.locator("#camera-status").inner_text() == "Kamera menyala. Posisikan wajahmu di dalam oval lalu tekan ambil foto."
    assert "Ambil foto dan baca suasana hatiku" in page.locator("#capture-button").inner_text()
    check(page, "scan", shoot, heading="Pindai suasana hatimu")

    entry = HistoryEntry.objects.filter(user=web_user).order_by("-created_at").first()
    page.goto(f"{live_server.url}/result/{entry.uuid}/")
    assert page.locator("#probs-title").inner_text() == "Skor setiap suasana hati"
    check(page, "result", shoot, heading=page.locator("h1").inner_text())
    assert page.locator("h1").inner_text().startswith(("Kamu terlihat", "Mungkin"))

    page.goto(f"{live_server.url}/calendar/")
    month = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"][today.month - 1]
    assert page.locator(".calendar thead").inner_text().split() == ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
    check(page, "calendar-month", shoot, heading=f"Suasana hatimu di {month} {today.year}")

    page.goto(f"{live_server.url}/calendar/year/")
    assert "hari dengan pembacaan" in page.locator("#pixels-title").inner_text()
    check(page, "calendar-year", shoot, heading=f"{today.year}-mu dalam piksel")

    page.goto(f"{live_server.url}/insights/")
    assert page.locator(".tag-sentence", has_text="dengan tag “olahraga”").count() == 1
    check(page, "insights", shoot, heading="Wawasan")
    assert not page.problems, page.problems
