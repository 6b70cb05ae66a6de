"""Covers the API waits for (``tracks_attach_covers(wait=True)``): single-track Spotify look-ups
(the real spotipy client against a local stub), the first alone, the rest several at a time; a
fault on the first stops the rest."""

import logging

import pytest

from music.models import Track
from music.services import tracks_attach_covers
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def _uncovered_tracks(stub, count):
    tracks = TrackFactory.create_batch(count)
    for track in tracks:
        stub.add_track(track.id, track.name, track.artist, cover=f"https://i.scdn.co/image/{track.id}")
    return tracks


def test_covers_are_looked_up_several_at_a_time_with_one_token(spotify_stub):
    spotify_stub.track_latency = 0.1  # each answer takes a while (well inside the client timeout, even under load)
    tracks = _uncovered_tracks(spotify_stub, 10)

    tracks_attach_covers(wait=True, tracks=tracks)

    assert [t.thumbnail for t in tracks] == [f"https://i.scdn.co/image/{t.id}" for t in tracks]
    stored = dict(Track.objects.values_list("id", "thumbnail"))
    assert all(stored[t.id] == t.thumbnail for t in tracks)
    assert spotify_stub.max_in_flight > 1
    assert len(spotify_stub.token_requests()) == 1  # the first look-up fetched it alone
    assert sorted(r.path for r in spotify_stub.api_requests()) == sorted(f"/v1/tracks/{t.id}" for t in tracks)
    assert spotify_stub.unexpected_requests() == []


def test_a_fault_on_the_first_look_up_stops_the_rest(spotify_stub, caplog):
    tracks = _uncovered_tracks(spotify_stub, 5)
    spotify_stub.modes["track"] = "error"

    tracks_attach_covers(wait=True, tracks=tracks)

    assert [t.thumbnail for t in tracks] == [""] * 5
    assert len(spotify_stub.api_requests()) == 1
    warnings = [r for r in caplog.records if r.name == "music.providers.spotify" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert set(Track.objects.values_list("thumbnail", flat=True)) == {""}


def test_tracks_spotify_does_not_know_keep_the_placeholder_and_the_others_get_covers(spotify_stub):
    tracks = _uncovered_tracks(spotify_stub, 4)
    unknown = TrackFactory()

    tracks_attach_covers(wait=True, tracks=[tracks[0], unknown, *tracks[1:]])

    assert unknown.thumbnail == "" and Track.objects.get(pk=unknown.pk).thumbnail == ""
    assert [t.thumbnail for t in tracks] == [f"https://i.scdn.co/image/{t.id}" for t in tracks]


def test_covered_tracks_are_not_looked_up_and_a_repeated_track_once(spotify_stub):
    covered = TrackFactory(thumbnail="https://i.scdn.co/image/stored")
    uncovered = _uncovered_tracks(spotify_stub, 1)[0]
    again = Track.objects.get(pk=uncovered.pk)

    tracks_attach_covers(wait=True, tracks=[covered, uncovered, again])

    assert covered.thumbnail == "https://i.scdn.co/image/stored"
    assert uncovered.thumbnail == again.thumbnail == f"https://i.scdn.co/image/{uncovered.id}"
    assert [r.path for r in spotify_stub.api_requests()] == [f"/v1/tracks/{uncovered.id}"]


def test_without_spotify_nothing_is_looked_up(settings):
    settings.SPOTIFY_CLIENT_ID = ""
    track = TrackFactory()

    assert tracks_attach_covers(wait=True, tracks=[track]) == [track] and track.thumbnail == ""


@pytest.fixture
def patient_spotify_stub(spotify_stub, settings):
    """The stub with a generous timeout, for tests about connections rather than time: the
    fixture's 0.5 s was once exceeded by one of 20 look-ups in a full CI run on 2 busy cores."""
    settings.SPOTIFY_TIMEOUT = 5
    return spotify_stub


def test_later_look_ups_reuse_the_open_connections_of_earlier_ones(patient_spotify_stub):
    spotify_stub = patient_spotify_stub
    spotify_stub.track_latency = 0.1  # so the first call needs every worker at once
    first, second = _uncovered_tracks(spotify_stub, 10), _uncovered_tracks(spotify_stub, 10)

    tracks_attach_covers(wait=True, tracks=first)
    ports_first = {r.client_port for r in spotify_stub.api_requests()}
    tracks_attach_covers(wait=True, tracks=second)
    ports_second = {r.client_port for r in spotify_stub.api_requests()[10:]}

    assert all(t.thumbnail for t in first + second)
    assert len(spotify_stub.api_requests()) == 20
    # The pool's threads (and their clients' keep-alive connections) outlive the first call.
    assert ports_second <= ports_first


def test_connections_spotify_closed_while_idle_are_replaced_and_no_look_up_fails(patient_spotify_stub):
    spotify_stub = patient_spotify_stub
    first, second = _uncovered_tracks(spotify_stub, 10), _uncovered_tracks(spotify_stub, 10)
    tracks_attach_covers(wait=True, tracks=first)
    ports_first = {r.client_port for r in spotify_stub.api_requests()}

    assert spotify_stub.drop_connections()  # Spotify closes the pool's idle keep-alive connections
    tracks_attach_covers(wait=True, tracks=second)
    ports_second = {r.client_port for r in spotify_stub.api_requests()[10:]}

    assert all(t.thumbnail for t in first + second)
    assert len(spotify_stub.api_requests()) == 20
    assert not ports_second & ports_first  # every look-up of the second call came on a new connection


@pytest.mark.django_db(transaction=True)
def test_without_waiting_the_covers_come_from_spotify_in_the_background(spotify_stub, settings):
    from music.covers import covers_wait_idle

    settings.COVERS_FILL, settings.COVERS_LOOKUP_INTERVAL = True, 0
    tracks = _uncovered_tracks(spotify_stub, 3)

    assert tracks_attach_covers(tracks=tracks) == tracks
    assert [t.thumbnail for t in tracks] == ["", "", ""]  # the caller got its answer without them

    assert covers_wait_idle(timeout=10)
    stored = dict(Track.objects.values_list("id", "thumbnail"))
    assert [stored[t.id] for t in tracks] == [f"https://i.scdn.co/image/{t.id}" for t in tracks]
    assert sorted(r.path for r in spotify_stub.api_requests()) == sorted(f"/v1/tracks/{t.id}" for t in tracks)
    assert spotify_stub.unexpected_requests() == []
