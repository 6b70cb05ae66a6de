"""In a real browser: the footer's "Bahasa Indonesia" turns the site Indonesian, the choice follows
the person once they sign in (another browser of theirs speaks it too), and the Indonesian pages
stay accessible and fit a phone (screenshots in test-artifacts/web/language-*.png)."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.web.conftest import DESKTOP, PHONE, _launch, assert_accessible, assert_fits, log_in

pytestmark = pytest.mark.browser


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def look(page, name, shoot):
    """Both screen sizes: nothing wider than the phone, a screenshot of each, no axe violation."""
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.wait_for_timeout(50)
        if label == "phone":
            assert_fits(page, f"{name} (phone, id)")
        shoot(page, f"language-{name}-id-{label}")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, f"{name} (id)")


def log_in_indonesian(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Masuk"
    page.get_by_label("Nama pengguna atau email").fill(username)
    page.get_by_label("Kata sandi").fill(DEFAULT_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/home/")


def test_the_footer_switches_to_indonesian_and_the_choice_follows_the_person(
        page, live_server, playwright_driver, tmp_path, shoot):
    rina = UserFactory(name="Rina Wijaya", username="rina", language="")

    page.goto(live_server.url + "/")
    assert html_lang(page) == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Music for how you feel, from one selfie."
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_url(live_server.url + "/")

    assert html_lang(page) == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Musik sesuai perasaanmu, dari satu selfie."
    assert page.get_by_role("heading", name="Cara kerjanya").is_visible()
    assert page.get_by_role("button", name="Bahasa Indonesia").get_attribute("aria-pressed") == "true"
    look(page, "landing", shoot)

    page.goto(f"{live_server.url}/login/")
    look(page, "login", shoot)
    log_in_indonesian(page, live_server, "rina")
    assert html_lang(page) == "id"
    assert "Selamat datang kembali, Rina Wijaya!" in page.locator(".messages").inner_text()
    rina.refresh_from_db()
    assert rina.language == "id"  # the page's language, kept by the account

    page.get_by_role("link", name="Profil", exact=True).click()
    page.wait_for_url(f"{live_server.url}/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Profilmu"
    assert page.get_by_role("combobox", name="Bahasa").input_value() == "id"
    look(page, "profile", shoot)
    assert not page.problems, page.problems

    # Another browser (English, no cookie): once signed in, the account's choice wins.
    fresh = _launch(playwright_driver, tmp_path / "another-browser", [])
    try:
        other = fresh.new_page()
        other.goto(f"{live_server.url}/login/")
        assert html_lang(other) == "en"
        other.get_by_label("Username or email").fill("rina")
        other.get_by_label("Password").fill(DEFAULT_PASSWORD)
        other.get_by_role("main").get_by_role("button", name="Log in").click()
        other.wait_for_url(f"{live_server.url}/home/")
        other.goto(f"{live_server.url}/profile/")
        assert html_lang(other) == "id"
        assert other.get_by_role("heading", level=1).inner_text() == "Profilmu"
    finally:
        fresh.close()


def test_the_profile_preference_switches_back_to_english(page, live_server):
    budi = UserFactory(username="budi", language="id")

    log_in(page, live_server, budi)  # an English login page (this browser has no cookie)...
    page.goto(f"{live_server.url}/profile/")
    assert html_lang(page) == "id"  # ...then the account's Indonesian
    page.get_by_role("combobox", name="Bahasa").select_option("en")
    page.locator("#preferences-title").locator("xpath=..").get_by_role("button", name="Simpan").click()
    page.wait_for_url(f"{live_server.url}/profile/#preferences-title")

    assert html_lang(page) == "en"
    assert "Saved. Time zone:" in page.locator(".messages").inner_text()
    assert get_user_model().objects.get(username="budi").language == "en"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
