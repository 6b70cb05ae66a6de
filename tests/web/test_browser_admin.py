"""In a real browser, the admin staff use: Vexora's name and colours, mood readings shown read-only
with the confidence in percent, the corrections matrix, a playlist's songs inline with labelled
fields; axe-core finds no accessibility violation, light or dark."""

import pytest

from history.services import history_correct_mood, history_record
from music.services import playlist_create
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_admin_pages_staff_use(page, live_server, web_user, web_catalog, shoot):
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    entry = history_record(user=web_user, mood="happy", confidence=0.734, tracks=web_catalog[:3],
                           probabilities={"happy": 0.734, "sad": 0.166, "angry": 0.05, "neutral": 0.05})
    history_correct_mood(entry=entry, mood="sad")
    playlist = playlist_create(user=web_user, name="Road trip", track_ids=[t.id for t in web_catalog[:2]])

    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("#site-name").inner_text() == "Vexora administration"
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")

    pages = {
        "admin-index": "/admin/",
        "admin-history": "/admin/history/historyentry/",
        "admin-history-entry": f"/admin/history/historyentry/{entry.pk}/change/",
        "admin-corrections": "/admin/history/historyentry/corrections/",
        "admin-playlist": f"/admin/music/playlist/{playlist.pk}/change/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # the admin fades link colours (a 0.15 s transition)
            assert_accessible(page, f"{name} ({scheme})")
            shoot(page, name + ("-dark" if scheme == "dark" else ""))
        page.emulate_media(color_scheme="light")
        if name == "admin-history":
            assert "73%" in page.locator("#result_list").inner_text()
        if name == "admin-history-entry":
            assert page.locator("form input[name=mood], form select[name=mood]").count() == 0  # read only
            assert "Happy 73%" in page.locator(".field-probabilities_percent").inner_text()
        if name == "admin-corrections":
            row = page.locator("tr", has=page.locator("th", has_text="Happy"))
            assert row.locator("td").all_inner_texts()[:4] == ["0", "1", "0", "0"]
        if name == "admin-playlist":
            assert page.locator("select[name$='-track']").first.get_attribute("aria-label") == "Track"
    assert not page.problems, page.problems
