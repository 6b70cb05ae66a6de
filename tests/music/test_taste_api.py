"""GET/PUT user/taste: a listener's liked and blocked genres (the catalog's names) and whether
explicit tracks may be recommended."""

import pytest

from music.models import GenrePreference, Taste
from tests.accounts.support import assert_envelope
from tests.music.taste_support import taste_catalog

URL = "/api/v1/user/taste"
pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db):
    return taste_catalog(per_genre=5)


def test_a_new_user_has_no_genres_and_allows_explicit_tracks(auth_client, catalog):
    body = assert_envelope(auth_client.get(URL), 200, "taste retrieved successfully!")
    assert body["data"] == {"liked_genres": [], "blocked_genres": [], "explicit": True,
                            "liked_tracks": [], "skipped_tracks": []}


def test_put_stores_the_genres_and_the_explicit_setting(auth_client, catalog):
    response = auth_client.put(URL, {"liked_genres": ["Jazz", "pop"], "blocked_genres": ["rock"],
                                     "explicit": False}, format="json")

    body = assert_envelope(response, 200, "taste updated successfully!", notify=True)
    assert body["data"]["liked_genres"] == ["jazz", "pop"]
    assert body["data"]["blocked_genres"] == ["rock"]
    assert body["data"]["explicit"] is False
    stored = set(GenrePreference.objects.filter(user=auth_client.user).values_list("genre", "kind"))
    assert stored == {("jazz", "like"), ("pop", "like"), ("rock", "block")}
    assert Taste.objects.get(user=auth_client.user).explicit is False
    assert assert_envelope(auth_client.get(URL), 200)["data"]["blocked_genres"] == ["rock"]


def test_a_list_left_out_stays_as_it_was(auth_client, catalog):
    auth_client.put(URL, {"liked_genres": ["jazz"], "blocked_genres": ["rock"]}, format="json")

    body = assert_envelope(auth_client.put(URL, {"explicit": False}, format="json"), 200)

    assert body["data"]["liked_genres"] == ["jazz"] and body["data"]["blocked_genres"] == ["rock"]


@pytest.mark.parametrize("payload, field", [
    ({"liked_genres": ["polka"]}, "liked_genres"),
    ({"blocked_genres": "rock"}, "blocked_genres"),
    ({"liked_genres": [3]}, "liked_genres"),
    ({"liked_genres": ["jazz"], "blocked_genres": ["jazz"]}, "blocked_genres"),
    ({"explicit": "maybe"}, "explicit"),
    ({"explicit": 0}, "explicit"),
])
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(auth_client, catalog, payload, field):
    auth_client.put(URL, {"liked_genres": ["pop"]}, format="json")

    body = assert_envelope(auth_client.put(URL, payload, format="json"), 400)

    assert field in body["errors"]
    assert list(GenrePreference.objects.filter(user=auth_client.user).values_list("genre", flat=True)) == ["pop"]


def test_taste_needs_a_signed_in_user(api_client, catalog):
    assert api_client.get(URL).status_code == 401
