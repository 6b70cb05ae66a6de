"""In a real browser, every page at 1280x800, 390x844 and 360x740, in light and dark mode:
screenshots for people to look at (test-artifacts/web/layout-*.png), nothing wider than the
screen, axe-core finds no accessibility violation, images with alt text, labelled fields, no
broken asset, and the skip link first in the keyboard order."""

import datetime as dt

import pytest
from django.utils import timezone

from history.models import HistoryEntry
from history.services import history_record
from music.services import playlist_create
from tests.history.factories import probabilities_for
from tests.web.conftest import DESKTOP, PHONE, SMALL_PHONE, assert_accessible, assert_fits, log_in

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/register/", "/login/", "/verify-email/", "/forgot-password/", "/reset-password/", "/no-such-page/",
          "/language/",  # a form-only address opened directly: the 405 page
          "/offline/"]


def check_page(page, name, shoot):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE), ("small-phone", SMALL_PHONE)):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(50)
            assert_fits(page, f"{name} ({label}, {scheme})")
            if label != "small-phone":
                shoot(page, f"layout-{name}-{label}" + ("-dark" if scheme == "dark" else ""))
        assert_accessible(page, f"{name} ({scheme})")
    page.emulate_media(color_scheme="light")
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
    unsure = history_record(user=web_user, mood="neutral", confidence=0.38,
                            probabilities={"happy": 0.3, "sad": 0.2, "angry": 0.12, "neutral": 0.38},
                            tracks=web_catalog[40:48])
    playlist = playlist_create(user=web_user, name="Road trip with a rather long name for a small screen",
                               track_ids=[t.id for t in web_catalog[:4]])
    log_in(page, live_server, web_user)
    pages = {
        "home": "/home/",
        "scan": "/scan/",
        "result": f"/result/{entries[-1].uuid}/",
        "result-unsure": f"/result/{unsure.uuid}/",
        "history": "/history/",
        "calendar": "/calendar/",
        "calendar-year": "/calendar/year/",
        "insights": "/insights/",
        "playlists": "/playlists/",
        "playlist": f"/playlists/{playlist.uuid}/?q=Song",
        "profile": "/profile/",
        "not-found-signed-in": "/result/00000000-0000-0000-0000-000000000000/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name == "history":
            page.locator("ol.entries > li summary").first.click()
        check_page(page, name, shoot)
    assert not page.problems, page.problems


def test_the_phone_menu_is_one_row_at_the_bottom_with_scan_in_the_middle(page, live_server, web_user, shoot):
    log_in(page, live_server, web_user)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/history/")

    tabs = page.locator("nav.tabbar li")
    assert tabs.all_inner_texts() == ["Home", "History", "Scan", "Playlists", "Profile"]
    boxes = [tab.bounding_box() for tab in tabs.all()]
    assert len({round(box["y"] + box["height"]) for box in boxes}) == 1  # one row
    assert max(box["y"] + box["height"] for box in boxes) <= PHONE["height"] + 1  # at the bottom of the screen
    assert min(box["y"] for box in boxes) > PHONE["height"] - 100
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 70  # the header keeps one row: the brand and "Log out"
    assert page.locator("nav.tabbar img.avatar").get_attribute("src").endswith("/static/img/default-avatar.png")
    page.set_viewport_size(DESKTOP)
    assert page.locator(".site-header").bounding_box()["height"] < 70
    assert not page.problems, page.problems


LONG_ARTIST = "Orquesta Sinfónica y Coro de la Comunidad de Madrid con Plácido Domingo y Ainhoa Arteta"
LONG_TITLE = "Variaciones sobre un tema de una canción popular que nadie recuerda pero todos cantan (en vivo)"


def test_long_names_never_run_under_the_buttons_on_a_phone(page, live_server, web_user, web_catalog, shoot):
    from tests.music.factories import TrackFactory

    long_one = TrackFactory(name=LONG_TITLE, artist=LONG_ARTIST)
    entry = history_record(user=web_user, mood="happy", confidence=0.8, probabilities=probabilities_for("happy", 0.8),
                           tracks=[long_one, *web_catalog[:2]])
    playlist = playlist_create(user=web_user, name="Long", track_ids=[long_one.id])
    log_in(page, live_server, web_user)
    page.set_viewport_size(PHONE)

    for name, path in (("history", "/history/"), ("playlist-search", f"/playlists/{playlist.uuid}/?q=Orquesta"),
                       ("result", f"/result/{entry.uuid}/")):
        page.goto(live_server.url + path)
        if name == "history":
            page.locator("ol.entries > li summary").first.click()
        assert_fits(page, name)
        rows = page.locator("li.track", has_text="Orquesta")
        assert rows.count() >= 1, name
        for row in rows.all():
            button = row.locator("a.spotify-link, button, .badge").last.bounding_box()
            for text in row.locator(".track-name, .track-artist").all():
                box = text.bounding_box()
                assert box["x"] + box["width"] <= button["x"] + 0.5, f"{name}: text runs under the button"
        shoot(page, f"long-names-{name}-phone")
    assert not page.problems, page.problems
