"""In a real browser, every page at 1280 px and at 360 px: screenshots for people to look at
(test-artifacts/web/layout-*.png), nothing wider than the screen, images with alt text, no broken
asset, and the skip link first in the keyboard order."""

import datetime as dt

import pytest
from django.utils import timezone

from history.models import HistoryEntry
from history.services import history_record
from music.services import playlist_create
from tests.history.factories import probabilities_for
from tests.web.conftest import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/register/", "/login/", "/verify-email/", "/forgot-password/", "/reset-password/", "/no-such-page/"]


def check_page(page, name, shoot):
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {viewport['width']}px screen"
        shoot(page, f"layout-{name}-{label}")
    missing_alt = page.evaluate("() => [...document.images].filter(i => !i.hasAttribute('alt')).map(i => i.src)")
    assert not missing_alt, f"{name}: images without alt text: {missing_alt}"
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert not unlabelled, f"{name}: form fields without a label: {unlabelled}"
    page.set_viewport_size(DESKTOP)


def test_every_page_fits_desktop_and_phone(page, live_server, web_user, web_catalog, shoot):
    for path in PUBLIC:
        page.goto(live_server.url + path)
        name = path.strip("/").replace("/", "-") or "landing"
        check_page(page, name, shoot)

    page.goto(live_server.url + "/")  # keyboard: the first Tab lands on the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    entries = []
    for i, (mood, days_ago) in enumerate([("happy", 20), ("neutral", 9), ("happy", 9), ("sad", 2), ("angry", 0)]):
        entry = history_record(user=web_user, mood=mood, confidence=0.6, probabilities=probabilities_for(mood, 0.6),
                               tracks=web_catalog[(i * 10) % 40:(i * 10) % 40 + 10])
        HistoryEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
        entries.append(entry)
    playlist = playlist_create(user=web_user, name="Road trip with a rather long name for a small screen",
                               track_ids=[t.id for t in web_catalog[:4]])
    log_in(page, live_server, web_user)
    pages = {
        "home": "/home/",
        "scan": "/scan/",
        "result": f"/result/{entries[-1].uuid}/",
        "history": "/history/",
        "playlists": "/playlists/",
        "playlist": f"/playlists/{playlist.uuid}/?q=Song+1",
        "profile": "/profile/",
        "not-found-signed-in": "/result/00000000-0000-0000-0000-000000000000/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name == "history":
            page.locator("ol.entries > li summary").first.click()
        check_page(page, name, shoot)
    assert not page.problems, page.problems
