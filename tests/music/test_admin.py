"""The admin lists and searches tracks and playlists (tracks inline)."""

import pytest

from tests.factories import UserFactory
from tests.music.factories import PlaylistTrackFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_tracks_are_searchable_and_filterable(admin_client):
    TrackFactory(name="Midnight City", artist="M83", genre="rock")
    TrackFactory(name="Other", artist="Someone", genre="pop")

    found = admin_client.get("/admin/music/track/", {"q": "m83", "genre": "rock", "in_catalog__exact": "1"})

    assert found.status_code == 200
    assert b"Midnight City" in found.content and b"Someone" not in found.content


def test_a_playlist_shows_its_tracks(admin_client):
    item = PlaylistTrackFactory(playlist__name="Road trip", track__name="Drive", position=0)

    listing = admin_client.get("/admin/music/playlist/", {"q": item.playlist.user.username})
    page = admin_client.get(f"/admin/music/playlist/{item.playlist.pk}/change/")

    assert b"Road trip" in listing.content
    assert page.status_code == 200 and b"Drive" in page.content
