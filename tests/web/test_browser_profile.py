"""In a real browser: a new profile picture, previewed before it is uploaded, then shown on the
profile and in the menu, from wherever the site is reached (never a URL stored from SITE_URL)."""

import pytest
from PIL import Image

from tests.web.conftest import ASTRONAUT, log_in

pytestmark = pytest.mark.browser


def test_upload_a_new_picture_with_a_preview(page, live_server, web_user, settings, tmp_path, shoot):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "http://wrong-host.invalid:1"  # what the pages show must not depend on it
    picture = tmp_path / "me.png"
    with Image.open(ASTRONAUT) as source:
        source.convert("RGB").save(picture, "PNG")
    log_in(page, live_server, web_user)
    page.get_by_role("link", name="Profile", exact=True).click()
    page.wait_for_url(f"{live_server.url}/profile/")

    page.get_by_label("New picture").set_input_files(str(picture))
    preview = page.locator("#picture-preview")
    preview.wait_for(state="visible")
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 384
    shoot(page, "profile-picture-preview")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(f"{live_server.url}/profile/")

    assert "Your new picture is in place." in page.locator(".messages").inner_text()
    web_user.refresh_from_db()
    assert web_user.profile_picture.startswith("profile-pictures/")  # where it is, not a URL
    current = page.locator("#picture-current")
    assert current.get_attribute("src") == f"{live_server.url}/media/{web_user.profile_picture}"
    page.wait_for_function("() => document.getElementById('picture-current').complete")
    assert current.evaluate("img => img.naturalWidth") == 512  # served, square, re-encoded
    avatar = page.locator("nav img.avatar")  # the menu shows it too
    assert avatar.get_attribute("src") == current.get_attribute("src")
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 512
    assert not page.problems, page.problems
