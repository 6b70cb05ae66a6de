"""In a real browser, the music can be seen and heard: every song of a result has its own picture
(the cover, or generated artwork in the colours of its moods with the pattern of its genre), its
album, year, genre, length and why it fits; Play loads Spotify's player under the song, only when
pressed (no request to Spotify before), one player at a time, by mouse or keyboard. Screenshots of
the result, history and playlist pages at 1280x800 and 390x844."""

import io
import re

import pytest
from PIL import Image

from history.services import history_record
from music.services import playlist_create
from tests.history.factories import probabilities_for
from tests.music.factories import TrackFactory
from tests.web.conftest import DESKTOP, PHONE, assert_accessible, assert_fits, log_in

pytestmark = pytest.mark.browser

# (title, artist, album, genre, year, seconds, mood probabilities happy/sad/angry/neutral)
SONGS = [
    ("Harbour Lights", "Mara Quill", "Low Tide", "piano", 2011, 215, (0.10, 0.55, 0.05, 0.30)),
    ("Run the Wire", "Static Saints", "Overdrive", "rock", 2004, 187, (0.20, 0.10, 0.55, 0.15)),
    ("Gold on Gold", "Dex Marlowe", "Crown Heights", "hip-hop", 2019, 201, (0.60, 0.05, 0.25, 0.10)),
    ("Night Bus", "Lumen Grid", "Afterhours", "house", 2016, 342, (0.45, 0.15, 0.10, 0.30)),
    ("Blue Room", "The Oakley Trio", "Smoke & Velvet", "jazz", 1998, 268, (0.15, 0.40, 0.05, 0.40)),
    ("Calle Ocho", "Sonia Vela", "Fiesta Total", "salsa", 2008, 234, (0.75, 0.05, 0.05, 0.15)),
    ("Iron Psalm", "Gravewright", "Cathedral of Noise", "metal", 2013, 305, (0.05, 0.15, 0.75, 0.05)),
    ("Starlit", "NOVA9", "Constellation", "k-pop", 2021, 196, (0.80, 0.05, 0.05, 0.10)),
    ("River Road", "Hollis Greer", "Back Porch", "folk", 1976, 178, (0.30, 0.30, 0.05, 0.35)),
    ("Sugar Rush", "Poppy Vale", "Candy Hearts", "pop", 2022, 165, (0.70, 0.05, 0.10, 0.15)),
]
SPOTIFY = re.compile(r"^https://open\.spotify\.com/")
COVER_HOST = "https://i.scdn.co/image/"


def songs_catalog() -> list:
    tracks = []
    for i, (title, artist, album, genre, year, seconds, moods) in enumerate(SONGS):
        happy, sad, angry, neutral = moods
        tracks.append(TrackFactory(name=title, artist=artist, album=album, genre=genre, genres=genre,
                                   release_year=year, duration_ms=seconds * 1000, valence=0.2 + 0.06 * i,
                                   energy=0.8 - 0.05 * i, acousticness=0.7 if genre in ("piano", "folk") else 0.1,
                                   mood_happy=happy, mood_sad=sad, mood_angry=angry, mood_neutral=neutral))
    return tracks


def spotify_embed(route):
    """Stands in for Spotify's embed player (no internet in tests): a page naming the track."""
    track_id = route.request.url.split("/embed/track/")[1].split("?")[0]
    route.fulfill(status=200, content_type="text/html",
                  body=f'<!doctype html><html lang="en"><title>Spotify</title><body style="margin:0;background:#121212;'
                       f'color:#fff;font:14px sans-serif"><p id="embedded">Spotify player: {track_id}</p></body></html>')


def a_cover(route):
    """Stands in for Spotify's image CDN: a small PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 140, 90)).save(buffer, "PNG")
    route.fulfill(status=200, content_type="image/png", body=buffer.getvalue())


def watch(page) -> tuple[list, list]:
    """Requests to open.spotify.com, and Content-Security-Policy violations, as they happen."""
    to_spotify, violations = [], []
    page.on("request", lambda request: to_spotify.append(request.url) if SPOTIFY.match(request.url) else None)
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.route("https://open.spotify.com/embed/**", spotify_embed)
    page.route(f"{COVER_HOST}**", a_cover)
    return to_spotify, violations


def frames(page) -> list[str]:
    return page.locator("iframe").evaluate_all("frames => frames.map(f => f.src)")


def test_a_result_shows_each_song_and_plays_it_in_the_page(page, live_server, web_user, shoot):
    tracks = songs_catalog()
    tracks[9].thumbnail = f"{COVER_HOST}ab67616d00001e02sugarrush"  # one cover known from Spotify
    tracks[9].save()
    entry = history_record(user=web_user, mood="happy", confidence=0.82, probabilities=probabilities_for("happy", 0.82),
                           tracks=tracks)
    to_spotify, violations = watch(page)
    log_in(page, live_server, web_user)
    page.goto(f"{live_server.url}/result/{entry.uuid}/")

    rows = page.locator("#songs > ol.tracks > li")
    assert rows.count() == 10
    covers = page.locator("#songs > ol.tracks img.cover")
    page.wait_for_function("() => [...document.querySelectorAll('#songs img.cover')].every(i => i.complete "
                           "&& i.naturalWidth > 0)")
    sources = covers.evaluate_all("imgs => imgs.map(i => i.src)")
    assert sources[9] == tracks[9].thumbnail
    assert all(src.startswith(f"{live_server.url}/covers/{t.id}.svg?v=") for src, t in zip(sources, tracks[:9]))
    pictures = [covers.nth(i).screenshot() for i in range(10)]
    assert len(set(pictures)) == 10  # ten different pictures, not one placeholder

    first = rows.nth(0)
    assert first.locator(".track-name").inner_text() == "Harbour Lights"
    assert first.locator(".track-artist").inner_text() == "Mara Quill · Low Tide"
    assert first.locator(".track-facts").inner_text() == "2011 · Piano · 3:35"
    assert first.locator(".track-reason").inner_text()  # why it fits
    assert rows.nth(3).locator(".track-facts").inner_text() == "2016 · House · 5:42"
    link = rows.nth(1).locator("a.spotify-link")  # "Open in Spotify" stays
    assert link.get_attribute("href") == f"https://open.spotify.com/track/{tracks[1].id}"
    assert link.inner_text().startswith("Open in Spotify")

    assert frames(page) == [] and to_spotify == []  # nothing from Spotify before Play
    shoot(page, "music-result-before-play", full_page=False)

    play = page.locator(f'button[data-track="{tracks[1].id}"]')
    assert play.get_attribute("aria-expanded") == "false"
    page.get_by_role("button", name="Play Run the Wire by Static Saints").click()
    assert frames(page) == [f"https://open.spotify.com/embed/track/{tracks[1].id}"]
    assert rows.nth(1).locator("iframe").count() == 1  # under its song
    player = page.frame_locator("#songs iframe")
    assert player.locator("#embedded").inner_text() == f"Spotify player: {tracks[1].id}"
    assert play.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("button", name="Stop Run the Wire by Static Saints").is_visible()
    assert page.evaluate("() => document.activeElement.dataset.track") == tracks[1].id  # focus stays on it
    assert "player for Run the Wire by Static Saints is open" in page.locator("p[role=status]").last.inner_text()
    assert to_spotify == [f"https://open.spotify.com/embed/track/{tracks[1].id}"]
    assert_accessible(page, "result with a player")
    shoot(page, "music-result-playing", full_page=False)

    page.get_by_role("button", name="Play Night Bus by Lumen Grid").click()  # one player at a time
    assert frames(page) == [f"https://open.spotify.com/embed/track/{tracks[3].id}"]
    assert rows.nth(3).locator("iframe").count() == 1 and rows.nth(1).locator("iframe").count() == 0
    assert play.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("button", name="Play Run the Wire by Static Saints").is_visible()

    page.get_by_role("button", name="Stop Night Bus by Lumen Grid").click()
    assert frames(page) == []

    keyboard = page.locator(f'button[data-track="{tracks[7].id}"]')  # by keyboard
    page.get_by_role("button", name="Play Starlit by NOVA9").focus()
    page.keyboard.press("Enter")
    assert frames(page) == [f"https://open.spotify.com/embed/track/{tracks[7].id}"]
    page.keyboard.press("Escape")
    assert frames(page) == [] and keyboard.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.dataset.track") == tracks[7].id

    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Play Iron Psalm by Gravewright").click()
    assert_fits(page, "result with a player, phone")
    rows.nth(6).scroll_into_view_if_needed()
    shoot(page, "music-result-playing-phone", full_page=False)
    assert_accessible(page, "result with a player, phone")

    assert sorted(set(to_spotify)) == sorted(f"https://open.spotify.com/embed/track/{tracks[i].id}" for i in (1, 3, 6, 7))
    assert violations == []
    assert not page.problems, page.problems


def test_the_result_history_and_playlist_pages_at_both_sizes(page, live_server, web_user, shoot):
    tracks = songs_catalog()
    entry = history_record(user=web_user, mood="neutral", confidence=0.74,
                           probabilities=probabilities_for("neutral", 0.74), tracks=tracks)
    history_record(user=web_user, mood="sad", confidence=0.66, probabilities=probabilities_for("sad", 0.66),
                   tracks=tracks[:4])
    playlist = playlist_create(user=web_user, name="Evening", description="for the way home",
                               track_ids=[t.id for t in tracks[2:8]])
    to_spotify, violations = watch(page)
    log_in(page, live_server, web_user)

    pages = {"result": f"/result/{entry.uuid}/", "history": "/history/", "playlist": f"/playlists/{playlist.uuid}/"}
    for name, path in pages.items():
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path)
            if name == "history":
                page.locator("ol.entries > li summary").first.click()
            for image in page.locator("img.cover").all():  # lazy images load once scrolled to
                if image.is_visible():
                    image.scroll_into_view_if_needed()
            page.evaluate("() => window.scrollTo(0, 0)")
            page.wait_for_function("() => [...document.querySelectorAll('img.cover')].filter(i => i.checkVisibility())"
                                   ".every(i => i.complete && i.naturalWidth > 0)")
            shown = page.locator("img.cover").evaluate_all("imgs => imgs.filter(i => i.checkVisibility()).length")
            assert shown >= 4, name
            assert_fits(page, f"{name} ({label})")
            shoot(page, f"music-{name}-{label}")
            shoot(page, f"music-{name}-{label}-screen", full_page=False)
        assert_accessible(page, name)

    assert to_spotify == [] and violations == []
    assert not page.problems, page.problems
