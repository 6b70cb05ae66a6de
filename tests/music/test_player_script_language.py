"""The play button's words in the page's language: player.js takes them from Django's JavaScript
catalogue (/jsi18n/, djangojs domain), which carries their Indonesian translations."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_script_catalogue_carries_the_player_words_in_indonesian(client):
    catalogue = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert '"Play %(title)s": "Putar %(title)s"' in catalogue
    assert '"Player closed.": "Pemutar ditutup."' in catalogue


def test_in_english_the_catalogue_translates_nothing(client):
    catalogue = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Putar" not in catalogue
