"""The Content-Security-Policy holds in a real browser: Swagger UI and the pages run with no
violation (Chromium reports each one as a console error, which the page fixture collects)."""

import pytest

from tests.web.conftest import log_in

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_under_the_policy(page, live_server):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)

    assert "Vexora API" in page.locator(".swagger-ui .info .title").inner_text()
    assert violations == []
    assert page.problems == []


def test_signed_in_pages_run_under_the_policy(page, live_server, web_user, web_catalog):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server, web_user)

    for path in ("/home/", "/scan/", "/history/", "/playlists/", "/profile/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")

    assert violations == []
    assert page.problems == []


def test_covers_artwork_and_the_player_run_under_the_policy(page, live_server, web_user, web_catalog):
    from history.services import history_record
    from tests.history.factories import probabilities_for
    from tests.web.test_browser_music import a_cover, spotify_embed

    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.route("https://i.scdn.co/**", a_cover)  # Spotify's image CDN and its player, without the internet
    page.route("https://open.spotify.com/embed/**", spotify_embed)
    covered = web_catalog[0]
    covered.thumbnail = "https://i.scdn.co/image/ab67616d00001e02covered"
    covered.save()
    entry = history_record(user=web_user, mood="happy", confidence=0.9, probabilities=probabilities_for("happy", 0.9),
                           tracks=web_catalog[:4])
    log_in(page, live_server, web_user)

    page.goto(f"{live_server.url}/result/{entry.uuid}/")
    page.wait_for_function("() => [...document.querySelectorAll('img.cover')].every(i => i.complete && i.naturalWidth)")
    page.locator("button.play-button").first.click()
    page.frame_locator("iframe").locator("#embedded").wait_for()

    assert violations == []
    assert page.problems == []
    # The listener hears violations: an image from a host the policy does not name is refused.
    page.evaluate("() => { const i = new Image(); i.src = 'https://images.example.com/x.png'; document.body.append(i); }")
    page.wait_for_timeout(200)
    assert any("img-src" in text for text in violations)
