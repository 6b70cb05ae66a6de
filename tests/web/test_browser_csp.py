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
