"""In a real browser: a new profile picture, previewed before it is uploaded, then shown."""

import pytest
from PIL import Image

from tests.web.conftest import ASTRONAUT, log_in

pytestmark = pytest.mark.browser


def test_upload_a_new_picture_with_a_preview(page, live_server, web_user, settings, tmp_path, shoot):
    settings.MEDIA_ROOT = tmp_path
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
    current = page.locator("#picture-current")
    assert current.get_attribute("src") == web_user.profile_picture
    assert web_user.profile_picture.startswith(f"{live_server.url}/media/profile-pictures/")
    page.wait_for_function("() => document.getElementById('picture-current').complete")
    assert current.evaluate("img => img.naturalWidth") == 512  # served, square, re-encoded
    assert not page.problems, page.problems
