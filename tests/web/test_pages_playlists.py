"""The playlist pages, through the Django client: music's selectors and services, checked in the
database."""

import pytest

from music.models import Playlist
from tests.music.factories import PlaylistFactory, PlaylistTrackFactory, TrackFactory

pytestmark = pytest.mark.django_db


def track_ids(playlist):
    return list(playlist.items.order_by("position").values_list("track_id", flat=True))


def test_the_list_shows_own_playlists_newest_first(signed_in, other_user):
    older = PlaylistFactory(user=signed_in.user, name="Older")
    newer = PlaylistFactory(user=signed_in.user, name="Newer")
    PlaylistFactory(user=other_user, name="Not mine")
    response = signed_in.get("/playlists/")
    assert [p.name for p in response.context["playlists"]] == [newer.name, older.name]
    assert "Not mine" not in response.content.decode()


def test_create_a_playlist(signed_in):
    response = signed_in.post("/playlists/", {"name": "  Road   trip ", "description": "for the car"})
    playlist = Playlist.objects.get(user=signed_in.user)
    assert response["Location"] == f"/playlists/{playlist.uuid}/"
    assert (playlist.name, playlist.description) == ("Road trip", "for the car")


@pytest.mark.parametrize("name, message", [
    ("", "This field is required."),
    ("   ", "This field is required."),
    ("x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
])
def test_a_bad_name_is_explained_next_to_the_field(signed_in, name, message):
    response = signed_in.post("/playlists/", {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [message]
    assert not Playlist.objects.exists()


def test_a_taken_name_is_refused_by_the_service(signed_in):
    PlaylistFactory(user=signed_in.user, name="Chill")
    response = signed_in.post("/playlists/", {"name": "CHILL"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["A playlist with this name already exists."]
    assert Playlist.objects.count() == 1


def test_rename_and_delete(signed_in):
    playlist = PlaylistFactory(user=signed_in.user, name="Old name")
    response = signed_in.post(f"/playlists/{playlist.uuid}/rename/", {"name": "New name"})
    assert response["Location"] == f"/playlists/{playlist.uuid}/"
    playlist.refresh_from_db()
    assert playlist.name == "New name"

    PlaylistFactory(user=signed_in.user, name="Taken")
    response = signed_in.post(f"/playlists/{playlist.uuid}/rename/", {"name": "taken"})
    assert response.status_code == 400
    assert response.context["rename_form"].errors["name"] == ["A playlist with this name already exists."]
    assert response.context["playlist"].name == "New name"  # the page still shows the stored name

    response = signed_in.post(f"/playlists/{playlist.uuid}/delete/")
    assert response["Location"] == "/playlists/"
    assert not Playlist.objects.filter(pk=playlist.pk).exists()


def test_search_then_add_a_track_and_remove_one(signed_in):
    playlist = PlaylistFactory(user=signed_in.user)
    first = PlaylistTrackFactory(playlist=playlist, position=0).track
    wanted = TrackFactory(name="Bohemian Rhapsody", artist="Queen")
    TrackFactory(name="Something else", artist="Other")

    response = signed_in.get(f"/playlists/{playlist.uuid}/?q=bohemian")
    assert [t.id for t in response.context["results"]] == [wanted.id]
    assert "Bohemian Rhapsody" in response.content.decode()

    response = signed_in.post(f"/playlists/{playlist.uuid}/tracks/add/", {"track_id": wanted.id, "q": "bohemian"})
    assert response["Location"] == f"/playlists/{playlist.uuid}/?q=bohemian#search"
    assert track_ids(playlist) == [first.id, wanted.id]

    again = signed_in.post(f"/playlists/{playlist.uuid}/tracks/add/", {"track_id": wanted.id}, follow=True)
    assert "Track already in playlist." in again.content.decode()
    assert track_ids(playlist) == [first.id, wanted.id]

    signed_in.post(f"/playlists/{playlist.uuid}/tracks/remove/", {"track_id": first.id})
    assert track_ids(playlist) == [wanted.id]


def section(content: str, section_id: str) -> str:
    start = content.index(f'<section id="{section_id}"')
    return content[start:content.index("</section>", start)]


def test_the_confirmation_shows_where_the_page_opens(signed_in):
    playlist = PlaylistFactory(user=signed_in.user)
    first = PlaylistTrackFactory(playlist=playlist, position=0).track
    wanted = TrackFactory(name="Bohemian Rhapsody", artist="Queen")

    added = signed_in.post(f"/playlists/{playlist.uuid}/tracks/add/", {"track_id": wanted.id, "q": "bohemian"},
                           follow=True).content.decode()
    assert "Song added to the playlist." in section(added, "search")  # beside the results (#search)
    assert added.count("Song added to the playlist.") == 1  # not also at the top of the page

    removed = signed_in.post(f"/playlists/{playlist.uuid}/tracks/remove/", {"track_id": first.id},
                             follow=True).content.decode()
    assert "Song removed from the playlist." in section(removed, "songs")  # beside the songs (#songs)
    assert removed.count("Song removed from the playlist.") == 1


def test_adding_an_unknown_track_says_so(signed_in):
    playlist = PlaylistFactory(user=signed_in.user)
    response = signed_in.post(f"/playlists/{playlist.uuid}/tracks/add/", {"track_id": "0" * 22}, follow=True)
    assert "Track not found." in response.content.decode()
    assert track_ids(playlist) == []


def test_a_too_long_search_is_explained_next_to_the_field(signed_in):
    playlist = PlaylistFactory(user=signed_in.user)
    response = signed_in.get(f"/playlists/{playlist.uuid}/?q={'a' * 101}")
    assert response.status_code == 400
    assert response.context["search_form"].errors["q"]
    assert response.context["results"] is None


def test_another_persons_playlist_is_a_404_and_stays_untouched(signed_in, other_user):
    theirs = PlaylistFactory(user=other_user, name="Private")
    track = TrackFactory()
    for method, path, data in [
        ("get", f"/playlists/{theirs.uuid}/", None),
        ("post", f"/playlists/{theirs.uuid}/rename/", {"name": "Mine now"}),
        ("post", f"/playlists/{theirs.uuid}/tracks/add/", {"track_id": track.id}),
        ("post", f"/playlists/{theirs.uuid}/delete/", None),
    ]:
        response = getattr(signed_in, method)(path, data or {})
        assert response.status_code == 404, path
    theirs.refresh_from_db()
    assert theirs.name == "Private" and track_ids(theirs) == []
