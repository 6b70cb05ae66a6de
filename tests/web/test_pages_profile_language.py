"""The profile's preferences choose the language, as the footer's switcher does: the account keeps
it (its pages and e-mails follow it) and this browser remembers it."""

import re

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def selected_language(page: str) -> str:
    select = re.search(r'<select name="language".*?</select>', page, re.S)
    assert select, "no language select on the profile"
    return re.search(r'<option value="(\w+)"[^>]*selected', select.group(0)).group(1)


def test_the_profile_shows_the_language_select_with_the_current_choice(client):
    client.force_login(UserFactory(language="id"))

    page = client.get("/profile/").content.decode()

    assert selected_language(page) == "id"
    assert '<label for="id_language">Bahasa</label>' in page
    assert "English" in page and "Bahasa Indonesia" in page


def test_without_a_stored_choice_the_select_shows_the_pages_language(client):
    client.force_login(UserFactory(language=""))

    assert selected_language(client.get("/profile/", HTTP_ACCEPT_LANGUAGE="id").content.decode()) == "id"
    assert selected_language(client.get("/profile/").content.decode()) == "en"


def test_choosing_indonesian_stores_it_and_the_next_page_speaks_it(client):
    user = UserFactory(language="en", time_zone="Asia/Jakarta")
    client.force_login(user)

    response = client.post("/profile/preferences/", {"language": "id", "time_zone": "Asia/Jakarta",
                                                     "reminder_enabled": "on", "reminder_time": "07:45"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "id"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"
    page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="id">' in page
    assert "Tersimpan. Zona waktu: Asia/Jakarta; pengingat harian aktif pukul 07.45." in page


def test_choosing_english_back(client):
    user = UserFactory(language="id")
    client.force_login(user)

    client.post("/profile/preferences/", {"language": "en", "time_zone": ""})

    user.refresh_from_db()
    assert user.language == "en"
    page = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="en">' in page and "Saved. Time zone:" in page


def test_an_unknown_language_is_a_form_error_and_changes_nothing(client):
    user = UserFactory(language="en")
    client.force_login(user)

    response = client.post("/profile/preferences/", {"language": "xx", "time_zone": ""})

    assert response.status_code == 400
    assert response.context["preferences_form"].errors["language"]
    user.refresh_from_db()
    assert user.language == "en"
