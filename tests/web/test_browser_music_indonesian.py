"""In a real browser set to Indonesian (locale id-ID), the playlists and a playlist page speak
Bahasa Indonesia (html lang, headings, the Play buttons, the player script's words from the
JavaScript catalogue), pass axe-core and fit a 390 px phone with the longer words. Screenshots in
test-artifacts/web/i18n-<page>-<width>.png at 1280x800 and 390x844."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from music.services import playlist_create
from music.taste import taste_update
from tests.web.conftest import DESKTOP, PHONE, assert_accessible, assert_fits
from tests.web.test_browser_music import songs_catalog, watch

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user):
    """Signed in through a session cookie: the login form's own words belong to another test."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def show(page, url: str, viewport: dict):
    page.set_viewport_size(viewport)
    page.goto(url)
    for image in page.locator("img.cover").all():  # lazy images load once scrolled to
        image.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_function("() => [...document.querySelectorAll('img.cover')].every(i => i.complete "
                           "&& i.naturalWidth > 0)")


def test_the_playlist_pages_in_indonesian(indonesian_page, live_server, web_user, shoot):
    page = indonesian_page
    tracks = songs_catalog()
    playlist = playlist_create(user=web_user, name="Perjalanan pulang", description="lagu untuk sore hari",
                               track_ids=[t.id for t in tracks[:6]])
    playlist_create(user=web_user, name="Olahraga pagi", track_ids=[tracks[1].id])
    taste_update(user=web_user, liked_genres=["hip-hop"])  # the longest reason: "Salah satu genre kesukaanmu, ..."
    to_spotify, violations = watch(page)
    sign_in(page, live_server, web_user)

    for viewport in (DESKTOP, PHONE):
        show(page, f"{live_server.url}/playlists/", viewport)
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.get_by_role("heading", level=1).inner_text() == "Playlist kamu"
        assert page.get_by_role("heading", name="Playlist baru").is_visible()
        assert page.get_by_role("button", name="Buat playlist").is_visible()
        assert "6 lagu" in page.locator(".playlist-list").inner_text()
        assert_fits(page, f"playlists ({viewport['width']} px)")
        shoot(page, f"i18n-playlists-{viewport['width']}")
    assert_accessible(page, "playlists in Indonesian")

    for viewport in (DESKTOP, PHONE):
        show(page, f"{live_server.url}/playlists/{playlist.uuid}/", viewport)
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.get_by_role("heading", name="Lagu", exact=True).is_visible()
        assert page.get_by_role("heading", name="Tambah lagu").is_visible()
        first = page.locator("#songs ol.tracks > li").first
        assert first.locator(".track-reason").inner_text()  # a reason, in Indonesian (below)
        if viewport is DESKTOP:  # the phone shows "Spotify" alone
            assert first.locator(".spotify-link").inner_text().startswith("Buka di Spotify")
        assert page.get_by_role("button", name="Putar Harbour Lights oleh Mara Quill").is_visible()
        assert_fits(page, f"playlist ({viewport['width']} px)")
        cut = page.locator(".track-reason").evaluate_all("spans => spans.filter(s => s.scrollWidth > s.clientWidth)"
                                                        ".map(s => s.textContent)")
        assert cut == [], f"reasons cut short at {viewport['width']} px: {cut}"
        shoot(page, f"i18n-playlist-{viewport['width']}")
    reasons = page.locator("#songs .track-reason").all_inner_texts()
    assert any(" dan " in reason for reason in reasons) and not any(" and " in reason for reason in reasons)
    assert "Salah satu genre kesukaanmu, " in reasons[2]  # Gold on Gold, hip-hop
    assert_accessible(page, "playlist in Indonesian")

    # The player script takes its words from the Indonesian JavaScript catalogue.
    page.get_by_role("button", name="Putar Run the Wire oleh Static Saints").click()
    assert page.get_by_role("button", name="Hentikan Run the Wire oleh Static Saints").is_visible()
    assert page.locator("#songs iframe").get_attribute("title") == "Pemutar Spotify: Run the Wire oleh Static Saints"
    assert "terbuka di bawah lagunya" in page.locator("p[role=status]").last.inner_text()
    assert_fits(page, "playlist with a player (390 px)")
    assert_accessible(page, "playlist with a player in Indonesian")

    assert to_spotify == [f"https://open.spotify.com/embed/track/{tracks[1].id}"] and violations == []
    assert not page.problems, page.problems
