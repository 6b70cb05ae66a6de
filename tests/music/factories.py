"""Factories for music tests."""

import factory

from music.models import Playlist, PlaylistTrack, Track
from tests.factories import UserFactory


class TrackFactory(factory.django.DjangoModelFactory):
    """A catalog track (features set); ``in_catalog=False`` with no features for Spotify-only ones."""

    class Meta:
        model = Track

    id = factory.Sequence(lambda n: f"TestTrack{n:013d}")  # 22 base62 characters
    name = factory.Sequence(lambda n: f"Song {n}")
    artist = factory.Sequence(lambda n: f"Artist {n}")
    album = factory.Sequence(lambda n: f"Album {n}")
    genre = "pop"
    popularity = 50
    valence = 0.5
    energy = 0.5
    in_catalog = True


class PlaylistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playlist

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Playlist {n}")


class PlaylistTrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaylistTrack

    playlist = factory.SubFactory(PlaylistFactory)
    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: n)
