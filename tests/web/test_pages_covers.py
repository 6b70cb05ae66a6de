"""Pages never wait for covers: a page shows each track's generated artwork at once, and the
covers Spotify knows (here its oEmbed endpoint, a local stub that holds every answer until
released) are filled in the background and shown from the next page on."""

import re

import pytest

from history.services import history_record
from music.covers import covers_wait_idle
from tests.music.factories import TrackFactory

pytestmark = pytest.mark.django_db(transaction=True)
PROBABILITIES = {"happy": 0.8, "sad": 0.1, "angry": 0.05, "neutral": 0.05}


def covers_shown(content: bytes) -> list[str]:
    return re.findall(r'<img class="cover" src="([^"]+)"', content.decode())


def test_the_home_page_answers_while_spotify_holds_and_shows_the_covers_later(signed_in, oembed_stub):
    tracks = TrackFactory.create_batch(6)  # the home page picks six, one per artist: all of them
    expected = {oembed_stub.add_cover(track.id) for track in tracks}
    oembed_stub.mode = "hold"

    response = signed_in.get("/home/")

    assert response.status_code == 200
    shown = covers_shown(response.content)
    assert len(shown) == 6 and all(src.startswith("/covers/") for src in shown)
    assert oembed_stub.wait_for_requests(1)  # asked in the background, not answered yet
    oembed_stub.release()
    assert covers_wait_idle(timeout=10)
    assert set(covers_shown(signed_in.get("/home/").content)) == expected


def test_loading_a_results_artwork_asks_for_the_covers(signed_in, oembed_stub):
    tracks = TrackFactory.create_batch(3)
    expected = [oembed_stub.add_cover(track.id) for track in tracks]
    entry = history_record(user=signed_in.user, mood="happy", confidence=0.8, probabilities=PROBABILITIES,
                           tracks=tracks)

    shown = covers_shown(signed_in.get(f"/result/{entry.uuid}/").content)
    assert [src.split("?")[0] for src in shown] == [f"/covers/{track.id}.svg" for track in tracks]
    assert oembed_stub.requests == []  # rendering the page asked nothing
    for src in shown:  # what the browser does with the page's <img> tags
        assert signed_in.get(src).status_code == 200

    assert covers_wait_idle(timeout=10)
    assert sorted(oembed_stub.asked()) == sorted(track.id for track in tracks)
    assert covers_shown(signed_in.get(f"/result/{entry.uuid}/").content) == expected


def test_no_page_embeds_spotify_before_play_and_the_privacy_lines_say_so(signed_in):
    tracks = TrackFactory.create_batch(3)
    entry = history_record(user=signed_in.user, mood="sad", confidence=0.8,
                           probabilities={"happy": 0.05, "sad": 0.8, "angry": 0.05, "neutral": 0.1}, tracks=tracks)

    result = signed_in.get(f"/result/{entry.uuid}/").content.decode()
    scan = signed_in.get("/scan/").content.decode()

    assert "<iframe" not in result and "<iframe" not in scan
    assert result.count('data-play="https://open.spotify.com/embed/track/') == 3  # only as data for player.js
    assert all(f'src="https://open.spotify.com' not in page for page in (result, scan))
    assert "Spotify's player loads only when you press Play" in result
    assert "loaded only when you press Play" in scan
