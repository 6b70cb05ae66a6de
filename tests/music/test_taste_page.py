"""The taste page (linked from the profile): choose liked and never-wanted genres among the
catalog's, and whether explicit songs are recommended."""

import pytest

from music.models import GenrePreference, Taste
from tests.music.taste_support import taste_catalog

URL = "/taste/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    taste_catalog(per_genre=3)
    client.force_login(user)
    return client


def test_the_profile_links_to_the_taste_page_which_lists_the_catalog_genres(signed_in):
    assert URL.encode() in signed_in.get("/profile/").content
    page = signed_in.get(URL)

    assert page.status_code == 200
    for genre in ("jazz", "rock", "pop"):
        assert f'value="{genre}"'.encode() in page.content


def test_saving_the_form_stores_the_taste(signed_in, user):
    response = signed_in.post(URL, {"liked_genres": ["jazz"], "blocked_genres": ["rock"]})

    assert response.status_code == 302
    assert set(GenrePreference.objects.filter(user=user).values_list("genre", "kind")) == {
        ("jazz", "like"), ("rock", "block")}
    assert Taste.objects.get(user=user).explicit is False  # the box was left unticked
    page = signed_in.get(URL).content.decode()
    assert "Your taste was saved." in page


def test_a_genre_both_liked_and_blocked_is_refused_next_to_the_field(signed_in, user):
    response = signed_in.post(URL, {"liked_genres": ["jazz"], "blocked_genres": ["jazz"], "explicit": "on"})

    assert response.status_code == 400
    assert "a genre cannot be both liked and blocked" in response.content.decode().lower()
    assert not GenrePreference.objects.filter(user=user).exists()


def test_an_unknown_genre_is_refused(signed_in, user):
    assert signed_in.post(URL, {"liked_genres": ["polka"]}).status_code == 400
    assert not GenrePreference.objects.filter(user=user).exists()
