"""Generated artwork for tracks without a cover: a deterministic SVG whose colours follow the
track's moods and whose pattern follows its genre, served at /covers/<id>.svg."""

import re
from xml.etree import ElementTree

import pytest

from music.artwork import artwork_svg, artwork_version
from music.selectors import track_artwork_path
from tests.music.factories import TrackFactory

HAPPY = {"happy": 0.8, "sad": 0.05, "angry": 0.05, "neutral": 0.1}
SAD = {"happy": 0.05, "sad": 0.8, "angry": 0.05, "neutral": 0.1}
TRACK_ID = "4uLU6hMCjMI75M1A2tKUQC"


def colours(svg: str) -> list[str]:
    return re.findall(r'stop-color="(#[0-9a-f]{6})"', svg)


def shapes(svg: str) -> str:
    """The drawing without its gradient and its initials: the genre's pattern."""
    return svg.split("</defs>", 1)[1].split("<text", 1)[0]


def test_the_same_track_always_gets_the_same_bytes():
    first = artwork_svg(track_id=TRACK_ID, title="Never Gonna Give You Up", genres=["pop"], moods=HAPPY)
    again = artwork_svg(track_id=TRACK_ID, title="Never Gonna Give You Up", genres=["pop"], moods=dict(HAPPY))
    assert first == again
    assert first.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and first.endswith("</svg>")
    assert ">NG</text>" in first  # the title's initials


def test_the_colours_follow_the_moods():
    happy = artwork_svg(track_id=TRACK_ID, title="A Song", genres=["pop"], moods=HAPPY)
    sad = artwork_svg(track_id=TRACK_ID, title="A Song", genres=["pop"], moods=SAD)
    assert colours(happy) != colours(sad)
    assert shapes(happy) == shapes(sad)  # same genre, same id: the same pattern
    red, green, blue = (int(colours(happy)[0][i:i + 2], 16) for i in (1, 3, 5))
    assert red > blue  # happy leads with amber
    red, green, blue = (int(colours(sad)[0][i:i + 2], 16) for i in (1, 3, 5))
    assert blue > red  # sad leads with blue


def test_a_more_certain_mood_fills_more_of_the_square():
    sure = artwork_svg(track_id=TRACK_ID, genres=["pop"], moods=HAPPY)
    torn = artwork_svg(track_id=TRACK_ID, genres=["pop"], moods={"happy": 0.4, "sad": 0.35, "angry": 0.1,
                                                                 "neutral": 0.15})
    offset = lambda svg: float(re.findall(r'<stop offset="([0-9.]+)"', svg)[1])  # noqa: E731
    assert offset(sure) > offset(torn)


@pytest.mark.parametrize("genre, other", [("piano", "metal"), ("hip-hop", "house"), ("rock", "salsa")])
def test_the_pattern_follows_the_genre(genre, other):
    one = artwork_svg(track_id=TRACK_ID, title="A Song", genres=[genre], moods=HAPPY)
    two = artwork_svg(track_id=TRACK_ID, title="A Song", genres=[other], moods=HAPPY)
    assert colours(one) == colours(two)
    assert shapes(one) != shapes(two)


def test_titles_are_escaped_and_any_input_draws():
    svg = artwork_svg(track_id=TRACK_ID, title='<script>"&\'', genres=[], moods=None)
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert "<script" not in svg and root.get("aria-label") == '<script>"&\''
    assert ElementTree.fromstring(artwork_svg(track_id=TRACK_ID)) is not None  # no title, genre or moods
    assert "♪</text>" in artwork_svg(track_id=TRACK_ID, title="!!!")


def test_the_version_changes_with_what_is_drawn():
    base = {"track_id": TRACK_ID, "title": "A Song", "genres": ["pop"], "moods": HAPPY}
    assert artwork_version(**base) == artwork_version(**base)
    assert artwork_version(**base) != artwork_version(**{**base, "moods": SAD})
    assert artwork_version(**base) != artwork_version(**{**base, "genres": ["jazz"]})
    assert artwork_version(**base) != artwork_version(**{**base, "title": "Another"})


# --- Served -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_artwork_is_served_and_cached_for_good(client):
    track = TrackFactory(genres="jazz", genre="jazz", mood_happy=0.1, mood_sad=0.7, mood_angry=0.1, mood_neutral=0.1)
    path = track_artwork_path(track=track)

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content.decode() == artwork_svg(track_id=track.id, title=track.name, genres=["jazz"],
                                                    moods=track.mood_probabilities)
    assert "Set-Cookie" not in response and "Cookie" not in response.get("Vary", "")
    assert client.head(path).status_code == 200


@pytest.mark.django_db
def test_a_changed_track_gets_a_new_url_and_an_old_url_a_short_cache(client):
    track = TrackFactory(genres="pop", genre="pop", mood_happy=0.7, mood_sad=0.1, mood_angry=0.1, mood_neutral=0.1)
    before = track_artwork_path(track=track)
    track.mood_happy, track.mood_sad = 0.1, 0.7
    track.save()

    after = track_artwork_path(track=track)

    assert after != before and after.split("?")[0] == before.split("?")[0]
    assert client.get(before)["Cache-Control"] == "public, max-age=3600"
    assert client.get(after)["Cache-Control"].endswith("immutable")


@pytest.mark.django_db
def test_tracks_without_stored_moods_are_drawn_from_their_features(client):
    bright = TrackFactory(valence=0.95, energy=0.8)
    gloomy = TrackFactory(valence=0.05, energy=0.15)
    body = lambda track: client.get(f"/covers/{track.id}.svg").content.decode()  # noqa: E731
    assert colours(body(bright)) != colours(body(gloomy))


@pytest.mark.django_db
@pytest.mark.parametrize("track_id", ["short", "6TQghwJw3Sh8h9mTcV5B-7", "6TQghwJw3Sh8h9mTcV5BR7x"])
def test_a_malformed_id_is_not_found(client, track_id):
    assert client.get(f"/covers/{track_id}.svg").status_code == 404


@pytest.mark.django_db
def test_an_id_the_catalog_lacks_gets_artwork_from_the_id_alone(client):
    response = client.get("/covers/6TQghwJw3Sh8h9mTcV5BR7.svg")
    assert response.status_code == 200 and response.content.endswith(b"</svg>")
    assert client.post("/covers/6TQghwJw3Sh8h9mTcV5BR7.svg").status_code == 405
