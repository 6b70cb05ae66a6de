"""In a real browser: Vexora installs its service worker, and with the network gone a page shows
Vexora's offline page instead of the browser's error."""

import pytest

from tests.web.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_without_network_the_offline_page_is_shown(installable_context, installable_page, live_server, shoot):
    page = installable_page
    page.goto(live_server.url + "/")
    worker = page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL")
    assert worker == live_server.url + "/sw.js"
    manifest = page.evaluate("async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()")
    assert manifest["short_name"] == "Vexora"

    installable_context.set_offline(True)
    try:
        page.goto(live_server.url + "/login/")
        assert page.locator("h1").inner_text() == "You are offline"
        assert page.locator("link[rel=stylesheet]").evaluate("l => !!l.sheet")  # styled from the cache
        assert_accessible(page, "offline page")
        shoot(page, "offline-served-by-the-worker")
    finally:
        installable_context.set_offline(False)
    page.reload()
    assert page.locator("h1").inner_text() != "You are offline"
