"""The playlist services other apps call (history saves a recommendation as a playlist)."""

import pytest
from django.db import IntegrityError

from music.models import Playlist, PlaylistTrack
from music.services import playlist_add_track, playlist_create, playlist_remove_track
from tests.music.factories import PlaylistFactory, TrackFactory
from vexora.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_save_a_recommendation_as_a_playlist(user):
    tracks = TrackFactory.create_batch(3)
    ids = [t.id for t in tracks]

    playlist = playlist_create(user=user, name="Happy - 24 Nov", description="from a selfie",
                               track_ids=[ids[1], ids[0], ids[1], ids[2]])

    assert list(playlist.items.order_by("position").values_list("track_id", "position")) == [
        (ids[1], 0), (ids[0], 1), (ids[2], 2)]
    assert playlist.description == "from a selfie" and playlist.user == user


def test_create_refuses_a_taken_name_and_unknown_tracks(user):
    PlaylistFactory(user=user, name="Happy")
    with pytest.raises(InvalidInput, match="already exists"):
        playlist_create(user=user, name="happy")
    with pytest.raises(NotFound, match="track not found"):
        playlist_create(user=user, name="Other", track_ids=["UnknownTrack0000000000"])
    with pytest.raises(InvalidInput):
        playlist_create(user=user, name="Other", track_ids="UnknownTrack0000000000")
    assert Playlist.objects.count() == 1


def test_the_database_enforces_the_rules_too(user):
    PlaylistFactory(user=user, name="Mine")
    with pytest.raises(IntegrityError):
        Playlist.objects.create(user=user, name="MINE")


def test_positions_stay_unique_and_compact(user):
    playlist = PlaylistFactory(user=user)
    tracks = TrackFactory.create_batch(5)
    for track in tracks:
        playlist_add_track(playlist=playlist, track_id=track.id)
    playlist_remove_track(playlist=playlist, track_id=tracks[0].id)
    playlist_remove_track(playlist=playlist, track_id=tracks[3].id)
    assert list(PlaylistTrack.objects.filter(playlist=playlist).order_by("position")
                .values_list("track_id", "position")) == [(tracks[1].id, 0), (tracks[2].id, 1), (tracks[4].id, 2)]
