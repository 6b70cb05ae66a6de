"""The background task ``music.tasks.covers_fill`` with Spotify's oEmbed endpoint as the source
(no credentials), against a local stub: covers found are stored; a track Spotify does not know,
a timeout, a broken answer, an error or a rate limit leave the generated artwork."""

import logging
import time

import pytest

from music.models import Track
from music.tasks import covers_fill
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db


def fill(tracks) -> dict:
    return covers_fill.delay(track_ids=[track.id for track in tracks]).get()


def stored(track) -> str:
    return Track.objects.get(pk=track.pk).thumbnail


def test_covers_found_are_stored_one_request_per_track(oembed_stub):
    tracks = TrackFactory.create_batch(3)
    covers = [oembed_stub.add_cover(track.id) for track in tracks]

    assert fill(tracks) == {"filled": 3, "missing": 0, "deferred": 0}

    assert [stored(track) for track in tracks] == covers
    assert [request.url for request in oembed_stub.requests] == \
        [f"https://open.spotify.com/track/{track.id}" for track in tracks]
    assert {request.path for request in oembed_stub.requests} == {"/oembed"}


def test_filling_again_asks_nothing(oembed_stub):
    track = TrackFactory()
    oembed_stub.add_cover(track.id)
    fill([track])

    assert fill([track]) == {"filled": 0, "missing": 0, "deferred": 0}
    assert len(oembed_stub.requests) == 1


def test_a_track_with_a_cover_already_is_skipped(oembed_stub):
    covered = TrackFactory(thumbnail="https://i.scdn.co/image/stored")
    oembed_stub.add_cover(covered.id)

    fill([covered])

    assert oembed_stub.requests == [] and stored(covered) == "https://i.scdn.co/image/stored"


def test_spotify_cdn_hosts_are_stored_as_i_scdn_co(oembed_stub):
    track = TrackFactory()
    oembed_stub.add_cover(track.id, "https://image-cdn-ak.spotifycdn.com/image/ab67616d00001e02ff9ca10b55ce82ae553c8228")

    fill([track])

    assert stored(track) == "https://i.scdn.co/image/ab67616d00001e02ff9ca10b55ce82ae553c8228"


@pytest.mark.parametrize("thumbnail", ["https://images.example.com/cover.jpg", "http://i.scdn.co/image/abc",
                                       "javascript:alert(1)", "https://i.scdn.co:8443/image/abc",
                                       "https://i.scdn.co:x/image/abc", "https://[::1/image"])
def test_a_cover_the_image_policy_would_block_is_not_stored(oembed_stub, thumbnail):
    track = TrackFactory()
    oembed_stub.add_cover(track.id, thumbnail)

    assert fill([track]) == {"filled": 0, "missing": 1, "deferred": 0}

    assert stored(track) == ""


def test_a_host_added_to_the_image_policy_is_accepted(oembed_stub, settings):
    settings.CSP_IMG_SOURCES = [*settings.CSP_IMG_SOURCES, "https://*.covers.example"]
    track = TrackFactory()
    oembed_stub.add_cover(track.id, "https://eu.covers.example/a.jpg")

    fill([track])

    assert stored(track) == "https://eu.covers.example/a.jpg"


def test_a_track_spotify_does_not_know_keeps_its_artwork_and_is_not_asked_again(oembed_stub):
    unknown, known = TrackFactory(), TrackFactory()
    oembed_stub.add_cover(known.id)

    assert fill([unknown, known]) == {"filled": 1, "missing": 1, "deferred": 0}  # a 404 stops nothing
    assert stored(unknown) == "" and stored(known)
    fill([unknown])
    assert oembed_stub.asked() == [unknown.id, known.id]  # remembered as having no cover


def test_an_answer_without_a_thumbnail_keeps_the_artwork(oembed_stub):
    track = TrackFactory()
    oembed_stub.covers[track.id] = None

    assert fill([track]) == {"filled": 0, "missing": 1, "deferred": 0}
    assert stored(track) == ""


@pytest.mark.parametrize("mode", ["slow", "bad_json", "error", "rate_limited", "refused"])
def test_a_fault_keeps_the_artwork_stops_the_batch_and_rests(oembed_stub, caplog, mode):
    tracks = TrackFactory.create_batch(3)
    for track in tracks:
        oembed_stub.add_cover(track.id)
    oembed_stub.delay = 2.0  # "slow": past the 0.5 s timeout
    if mode == "refused":
        oembed_stub.close()
    else:
        oembed_stub.mode = mode
    started = time.monotonic()

    assert fill(tracks) == {"filled": 0, "missing": 0, "deferred": 3}

    assert time.monotonic() - started < 2  # one look-up, one timeout at most, no sleeping on Retry-After
    assert [stored(track) for track in tracks] == ["", "", ""]
    assert len(oembed_stub.requests) == (0 if mode == "refused" else 1)
    [warning] = [r.getMessage() for r in caplog.records if r.name == "music.covers" and r.levelno == logging.WARNING]
    assert warning.startswith("spotify oEmbed failed")
    oembed_stub.mode = "ok"
    assert fill(tracks)["deferred"] == 3  # resting: no request until the cooldown ends
    assert len(oembed_stub.requests) == (0 if mode == "refused" else 1)


def test_a_rate_limit_rests_as_long_as_spotify_asks(oembed_stub):
    from music.covers import covers_fill as fill_now

    track = TrackFactory()
    oembed_stub.mode, oembed_stub.retry_after = "rate_limited", 600

    result = fill_now(track_ids=[track.id])

    assert result.deferred == [track.id] and 590 <= result.wait <= 601


def test_after_the_rest_covers_are_asked_for_again(oembed_stub, settings):
    settings.SPOTIFY_FAILURE_COOLDOWN = 1
    track = TrackFactory()
    oembed_stub.add_cover(track.id)
    oembed_stub.mode = "error"
    fill([track])
    oembed_stub.mode = "ok"

    time.sleep(1.2)  # the cache forgets the rest after its 1 s

    assert fill([track]) == {"filled": 1, "missing": 0, "deferred": 0}


def test_look_ups_are_spaced_out(oembed_stub, settings):
    settings.COVERS_LOOKUP_INTERVAL = 0.2
    tracks = TrackFactory.create_batch(4)
    for track in tracks:
        oembed_stub.add_cover(track.id)

    fill(tracks[:2])
    fill(tracks[2:])  # the spacing holds across batches too

    arrivals = [request.at for request in oembed_stub.requests]
    assert len(arrivals) == 4
    # The pacing is on the sending side; arrival times jitter under load, so judge the whole span
    # (one late arrival shortens one gap and lengthens the next).
    assert arrivals[-1] - arrivals[0] >= 3 * 0.2 - 0.02, arrivals


def test_with_oembed_off_nothing_is_asked(oembed_stub, settings):
    settings.SPOTIFY_OEMBED_URL = ""
    track = TrackFactory()
    oembed_stub.add_cover(track.id)

    assert fill([track]) == {"filled": 0, "missing": 0, "deferred": 1}
    assert oembed_stub.requests == [] and stored(track) == ""
