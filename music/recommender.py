"""Mood -> tracks. Every catalog song carries the track mood model's probability of each mood
(``music.track_moods``, stored on the Track by ``load_catalog``); lists are drawn from the songs
most likely to be the mood, sampled so that calls vary, one track per artist.

Speed: the catalog's shown songs (other ids of a song, ``duplicate_of``, are left out) live in
memory as numpy arrays (ids, artist codes, a (songs, 4) probability matrix), loaded once per
process and reloaded when the catalog version in the cache changes (``catalog_index_invalidate``,
called by ``load_catalog`` and by saves of catalog tracks). A call is numpy arithmetic over ~100k
rows plus one primary-key query for the chosen rows, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from django.core.cache import cache
from django.db import transaction

from music.models import Track
from music.normalise import artist_key
from music.track_moods import FEATURES, predict_mood_matrix
from vexora.errors import InvalidInput, mood_checked, strategy_checked
from vexora.moods import MOODS, STRATEGIES, UPLIFT_MOODS

logger = logging.getLogger(__name__)

# Uplift (music therapy's iso principle): start in the mood, pass through calm, end happy.
UPLIFT_PATH = ("neutral", "happy")

MAX_LIMIT = 50
POOL_MIN = 300        # match: sample among at least this many most likely tracks...
POOL_PER_TRACK = 30   # ...or limit * this many, whichever is larger
MAX_PER_GENRE = 3     # match: at most this many tracks of one (first) genre, while the pool allows
SHARPNESS = 3.0       # sampling weight falls off as exp(-SHARPNESS * shortfall / the pool's range)
ANCHOR_SIZE = 200     # a mood's anchor: the mean probabilities of its this-many most likely tracks
WAYPOINT_POOL = 40    # uplift: candidates considered around each step of the journey
CORRIDOR_MIN = 2000   # uplift: tracks nearest the journey that the steps choose from
LIKED_BONUS = 0.2     # taste: added to a liked-genre/artist track's mood probability (match)...
LIKED_PULL = 0.1      # ...and taken off its distance to each uplift step
WIDENED_SHARE = 0.5   # taste: below this share of liked tracks in a list, the net was widened
VERSION_KEY = "music:catalog:version"
STALE_AFTER_SECONDS = 60  # reload at least this often when the cache cannot be read


# --- Public API ------------------------------------------------------------------------------
class ListenerTaste(Protocol):
    """What the recommender reads of a listener (``music.taste.ListenerTaste``): genres as the
    catalog names them, artists as credited, track ids."""

    liked_genres: Iterable[str]
    blocked_genres: Iterable[str]
    liked_artists: Iterable[str]
    skipped_ids: Iterable[str]
    explicit: bool


@dataclass(frozen=True)
class Recommendation:
    """A list and whether the net was widened: the listener named liked genres, yet less than
    ``WIDENED_SHARE`` of the list is of those genres (or by liked artists); the rest comes from
    other genres. Blocked genres,
    skipped tracks and (when refused) explicit tracks are never let back in."""

    tracks: list
    widened: bool = False


def recommend_tracks(*, mood: str, strategy: str = "match", exclude_ids: Iterable[str] = (), limit: int = 10,
                     rng: np.random.Generator | int | None = None, taste: ListenerTaste | None = None) -> list[Track]:
    """Up to ``limit`` catalog tracks for ``mood`` ("happy", "sad", "angry", "neutral").

    - ``strategy="match"``: tracks sampled among the songs most likely to be the mood (the track
      mood model's probability), listed most likely first.
    - ``strategy="uplift"`` (sad, angry): the list starts in the mood and moves step by step
      through calm to happy (the iso principle); same as "match" otherwise.
    - No artist appears twice; ``exclude_ids`` (e.g. the user's recent recommendations) are left
      out; successive calls differ (weighted sampling among close candidates; pass ``rng`` -- a
      numpy Generator or an int seed -- for reproducible lists).
    - ``taste`` (optional, ``music.taste.taste_get``): blocked genres, skipped tracks and, when
      the listener refuses them, explicit tracks are never listed; liked genres and the artists
      of liked tracks weigh more. No taste, or an empty one, gives the same lists as before.
    - Returns fewer tracks only when the catalog (minus exclusions) cannot fill the list.
    Raises ``InvalidInput`` for an unknown mood or strategy or a limit outside 1..50.
    """
    return recommendation_make(mood=mood, strategy=strategy, exclude_ids=exclude_ids, limit=limit, rng=rng,
                               taste=taste).tracks


def recommendation_make(*, mood: str, strategy: str = "match", exclude_ids: Iterable[str] = (), limit: int = 10,
                        rng: np.random.Generator | int | None = None,
                        taste: ListenerTaste | None = None) -> Recommendation:
    """``recommend_tracks`` with whether the net was widened past the listener's liked genres."""
    mood_key = mood_checked(mood)
    strategy_checked(strategy)
    _check_limit(limit)
    generator = _generator(rng)
    index = catalog_index()
    if index.size == 0:
        return Recommendation(tracks=[])
    blocked = ~index.has_features  # a new array: safe to mark exclusions on
    for track_id in exclude_ids or ():
        position = index.position.get(track_id)
        if position is not None:
            blocked[position] = True
    liked = _taste_apply(index, taste, blocked)
    if strategy == "uplift" and mood_key in UPLIFT_MOODS:
        chosen = _uplift(index, (mood_key, *UPLIFT_PATH), blocked, limit, generator, liked)
    else:
        chosen = _match(index, mood_key, blocked, limit, generator, liked)
    return Recommendation(tracks=_fetch(index, chosen), widened=_widened(taste, liked, chosen))


def tracks_widened(*, taste: ListenerTaste | None, track_ids: Iterable[str]) -> bool:
    """Whether a stored list (a history entry's) went past the listener's liked genres, by the
    rule of ``Recommendation.widened``."""
    index = catalog_index()
    positions = [index.position[track_id] for track_id in track_ids if track_id in index.position]
    return _widened(taste, _liked(index, taste), positions) if index.size else False


def catalog_genres() -> list[str]:
    """Every genre the catalog lists a shown song under, sorted (what a taste may name)."""
    return sorted(catalog_index().genre_positions)


def tracks_random(*, limit: int = 10, rng: np.random.Generator | int | None = None) -> list[Track]:
    """``limit`` random catalog tracks, one per artist (the random playlist)."""
    _check_limit(limit)
    generator = _generator(rng)
    index = catalog_index()
    if index.size == 0:
        return []
    chosen, artists = [], set()
    # A few random draws nearly always fill the list with distinct artists; else walk them all.
    draws = generator.choice(index.size, size=min(index.size, 8 * limit), replace=False)
    for candidates in (draws, generator.permutation(index.size)):
        for position in candidates:
            _take(index, int(position), chosen, artists)
            if len(chosen) == limit:
                return _fetch(index, chosen)
    return _fetch(index, chosen)


def catalog_index_invalidate() -> None:
    """Tells every process that the catalog changed (their in-memory index reloads on next use).

    Bumped at once and again after the surrounding transaction commits, so that a process that
    reloaded in between (seeing uncommitted-elsewhere data as absent) reloads once more."""
    _bump_version()
    transaction.on_commit(_bump_version)


# --- The in-memory index ---------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogIndex:
    version: str | None
    loaded_at: float
    ids: np.ndarray            # object array of track ids (shown songs only)
    artist_codes: np.ndarray   # int32: same code = same first credited artist (music.normalise)
    genre_codes: np.ndarray    # int32: same code = same first genre
    probabilities: np.ndarray  # (songs, 4) float64, columns in MOODS order
    has_features: np.ndarray   # bool
    explicit: np.ndarray       # bool: explicit lyrics (unknown: False)
    genre_positions: dict      # genre -> rows of the songs listed under it (any of their genres)
    position: dict             # track id -> row in the arrays
    artist_code_of: dict = field(default_factory=dict)  # artist key (music.normalise) -> artist code
    anchors: dict = field(default_factory=dict)  # mood -> mean probabilities of its most likely songs
    journeys: dict = field(default_factory=dict)  # (moods) -> (corners, every song's distance to them)

    @property
    def size(self) -> int:
        return len(self.ids)


_index: CatalogIndex | None = None
_lock = threading.Lock()


def catalog_index() -> CatalogIndex:
    """The current process's index, reloaded when the catalog version changed."""
    global _index
    version = _read_version()
    current = _index
    if _fresh(current, version):
        return current
    with _lock:
        current = _index
        if _fresh(current, version):
            return current
        _index = _load_index(version)
        return _index


def _fresh(index: CatalogIndex | None, version: str | None) -> bool:
    if index is None:
        return False
    if version is None:  # cache unreadable: trust the index for a while
        return time.monotonic() - index.loaded_at < STALE_AFTER_SECONDS
    return index.version == version


MOOD_COLUMNS = tuple(f"mood_{mood}" for mood in MOODS)


def _load_index(version: str | None) -> CatalogIndex:
    started = time.perf_counter()
    shown = Track.objects.filter(in_catalog=True, duplicate_of="").order_by()
    rows = list(shown.values_list("id", "artist", "genre", "genres", "explicit", *MOOD_COLUMNS))
    probabilities = np.array([row[5:] for row in rows], dtype=np.float64).reshape(len(rows), len(MOODS))
    unknown = np.isnan(probabilities).any(axis=1)
    if unknown.any():  # tracks saved without probabilities (admin, tests): ask the model now
        features = {row[0]: row[1:] for row in shown.filter(id__in=[rows[i][0] for i in np.flatnonzero(unknown)])
                    .values_list("id", *FEATURES)}
        missing = [dict(zip(FEATURES, features[rows[i][0]])) for i in np.flatnonzero(unknown)]
        probabilities[unknown] = predict_mood_matrix(missing)
    codes: dict[str, int] = {}
    artist_codes = np.fromiter((codes.setdefault(artist_key(row[1]) or row[1].casefold(), len(codes))
                                for row in rows), dtype=np.int32, count=len(rows))
    genres: dict[str, int] = {}
    genre_codes = np.fromiter((genres.setdefault(row[2], len(genres)) for row in rows), dtype=np.int32,
                              count=len(rows))
    ids = np.array([row[0] for row in rows], dtype=object)
    members: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        for name in {name.strip() for name in (row[3] or row[2] or "").split(",") if name.strip()}:
            members.setdefault(name, []).append(i)
    genre_positions = {name: np.array(found, dtype=np.int64) for name, found in members.items()}
    explicit = np.fromiter((bool(row[4]) for row in rows), dtype=bool, count=len(rows))
    anchors = {}
    for k, mood in enumerate(MOODS):
        if len(rows):
            top = np.argpartition(-probabilities[:, k], min(ANCHOR_SIZE, len(rows)) - 1)[:ANCHOR_SIZE]
            anchors[mood] = probabilities[top].mean(axis=0)
    index = CatalogIndex(
        version=version, loaded_at=time.monotonic(), ids=ids, artist_codes=artist_codes,
        genre_codes=genre_codes, probabilities=probabilities, has_features=np.ones(len(rows), dtype=bool),
        explicit=explicit, genre_positions=genre_positions,
        position={track_id: i for i, track_id in enumerate(ids)}, anchors=anchors, artist_code_of=codes,
    )
    if index.size:
        for mood in UPLIFT_MOODS:  # the uplift journeys, ready before the first call
            _journey(index, (mood, *UPLIFT_PATH))
    logger.info("recommender index loaded: %d tracks in %.0f ms", index.size, (time.perf_counter() - started) * 1000)
    return index


def _read_version() -> str | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:  # first use, or evicted: agree on a new version
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception as exc:
        logger.warning("cache unavailable for the catalog version (%s)", type(exc).__name__)
        return None


def _bump_version() -> None:
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception as exc:
        logger.warning("cache unavailable, catalog version not bumped (%s)", type(exc).__name__)


# --- Selection -------------------------------------------------------------------------------
def _weighted_order(score: np.ndarray, generator: np.random.Generator) -> np.ndarray:
    """A random order of candidates where higher scores tend to come first (Efraimidis-Spirakis
    weighted sampling without replacement; weights fall off exponentially below the best score)."""
    spread = float(score.max() - score.min()) or 1e-9
    weights = np.exp(-SHARPNESS * (score.max() - score) / spread)  # best ~20x likelier than worst
    keys = np.log(generator.random(len(score))) / weights
    return np.argsort(-keys)


def _taste_apply(index: CatalogIndex, taste, blocked: np.ndarray) -> np.ndarray | None:
    """Marks what the listener never wants on ``blocked``; returns which songs they like
    (``_liked``)."""
    if taste is None:
        return None
    for name in getattr(taste, "blocked_genres", ()) or ():
        found = index.genre_positions.get(name)
        if found is not None:
            blocked[found] = True
    for track_id in getattr(taste, "skipped_ids", ()) or ():
        position = index.position.get(track_id)
        if position is not None:
            blocked[position] = True
    if getattr(taste, "explicit", True) is False:
        blocked |= index.explicit
    return _liked(index, taste)


def _liked(index: CatalogIndex, taste) -> np.ndarray | None:
    """Which songs are of a liked genre or by the artist of a liked track; None when the listener
    likes nothing (today's lists)."""
    if taste is None:
        return None
    genres = list(getattr(taste, "liked_genres", ()) or ())
    artists = {artist_key(name) or name.casefold() for name in getattr(taste, "liked_artists", ()) or ()}
    if not genres and not artists:
        return None
    liked = np.zeros(index.size, dtype=bool)
    for name in genres:
        found = index.genre_positions.get(name)
        if found is not None:
            liked[found] = True
    codes = [index.artist_code_of[name] for name in artists if name in index.artist_code_of]
    if codes:
        liked |= np.isin(index.artist_codes, np.array(codes, dtype=np.int32))
    return liked


def _widened(taste, liked: np.ndarray | None, positions: list[int]) -> bool:
    return bool(liked is not None and getattr(taste, "liked_genres", None) and positions
                and liked[positions].mean() < WIDENED_SHARE)


def _match(index: CatalogIndex, mood: str, blocked, limit, generator, liked=None) -> list[int]:
    score = index.probabilities[:, MOODS.index(mood)].copy()
    if liked is not None:
        score[liked] += LIKED_BONUS
    score[blocked] = -np.inf
    available = int(np.isfinite(score).sum())
    if available == 0:
        return []
    pool_size = min(available, max(POOL_MIN, limit * POOL_PER_TRACK))
    pool = np.argpartition(-score, pool_size - 1)[:pool_size]
    chosen, artists, per_genre = [], set(), {}
    for candidate in pool[_weighted_order(score[pool], generator)]:
        genre = int(index.genre_codes[candidate])
        if per_genre.get(genre, 0) >= MAX_PER_GENRE and not (liked is not None and liked[candidate]):
            continue
        before = len(chosen)
        _take(index, int(candidate), chosen, artists)
        if len(chosen) > before:
            per_genre[genre] = per_genre.get(genre, 0) + 1
        if len(chosen) == limit:
            break
    if len(chosen) < limit:  # many repeated artists or genres among the likeliest: widen, likeliest first
        for candidate in np.argsort(-score, kind="stable")[:available]:
            _take(index, int(candidate), chosen, artists)
            if len(chosen) == limit:
                break
    return sorted(chosen, key=lambda i: -score[i])


def _journey(index: CatalogIndex, moods: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The journey's corners in probability space (the anchor of each mood in turn) and every
    song's distance to it: computed once per index (~15 ms, when it loads), then shared by every
    call."""
    journey = index.journeys.get(moods)
    if journey is None:
        corners = np.array([index.anchors[mood] for mood in moods])
        journey = index.journeys[moods] = (corners, _along(index.probabilities, corners)[0])
    return journey


def _along(points: np.ndarray, corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each point: its distance to the journey (a polyline through ``corners``) and its
    progress along it (0 at the start, 1 at the end, segments weighted equally)."""
    best = np.full(len(points), np.inf)
    progress = np.zeros(len(points))
    segments = len(corners) - 1
    for s in range(segments):
        start, direction = corners[s], corners[s + 1] - corners[s]
        length = float(direction @ direction) or 1e-12  # anchors may coincide in a tiny catalog
        t = np.clip((points - start) @ direction / length, 0.0, 1.0)
        distance = np.linalg.norm(points - (start + t[:, None] * direction), axis=1)
        closer = distance < best
        best[closer] = distance[closer]
        progress[closer] = (s + t[closer]) / segments
    return best, progress


def _uplift(index: CatalogIndex, moods: tuple[str, ...], blocked, limit, generator, liked=None) -> list[int]:
    corners, distance_to_path = _journey(index, moods)
    off_path = distance_to_path.copy()
    off_path[blocked] = np.inf
    available = int(np.isfinite(off_path).sum())
    if available == 0:
        return []
    # Work on the tracks nearest the journey (a few thousand of ~100k): each step then costs
    # microseconds. Steps fall back to the whole catalog if that corridor runs dry.
    size = min(available, max(CORRIDOR_MIN, limit * WAYPOINT_POOL * 4))
    corridor = np.argpartition(off_path, size - 1)[:size]
    points = index.probabilities[corridor]
    taken = np.zeros(size, dtype=bool)
    chosen, artists = [], set()
    segments = len(corners) - 1
    for step in range(limit):
        where = segments * step / max(limit - 1, 1)
        s = min(int(where), segments - 1)
        waypoint = corners[s] + (where - s) * (corners[s + 1] - corners[s])
        distance = np.linalg.norm(points - waypoint, axis=1)
        if liked is not None:
            distance[liked[corridor]] -= LIKED_PULL
        distance[taken] = np.inf
        left = int(np.isfinite(distance).sum())
        picked = None
        if left:
            pool = np.argpartition(distance, min(left, WAYPOINT_POOL) - 1)[:min(left, WAYPOINT_POOL)]
            for local in pool[_weighted_order(-distance[pool], generator)]:
                if int(index.artist_codes[corridor[local]]) not in artists:
                    picked = int(corridor[local])
                    taken[local] = True
                    break
        if picked is None:  # every nearby track is by an artist already listed: search everywhere
            everywhere = np.linalg.norm(index.probabilities - waypoint, axis=1)
            everywhere[blocked] = np.inf
            for candidate in np.argsort(everywhere, kind="stable")[:int(np.isfinite(everywhere).sum())]:
                if int(index.artist_codes[candidate]) not in artists:
                    picked = int(candidate)
                    break
        if picked is None:
            break
        _take(index, picked, chosen, artists)
        blocked[picked] = True
    # The journey's order: by progress from the mood through calm to happy.
    _, progress = _along(index.probabilities[chosen], corners) if chosen else (None, [])
    order = np.argsort(progress, kind="stable")
    return [chosen[i] for i in order]


def _take(index: CatalogIndex, candidate: int, chosen: list, artists: set) -> None:
    artist = int(index.artist_codes[candidate])
    if artist not in artists:
        artists.add(artist)
        chosen.append(candidate)


def _fetch(index: CatalogIndex, positions: list[int]) -> list[Track]:
    """The chosen rows in one query, in the chosen order (rows deleted meanwhile are skipped)."""
    ids = [index.ids[i] for i in positions]
    rows = Track.objects.in_bulk(ids)
    return [rows[track_id] for track_id in ids if track_id in rows]


def _check_limit(limit) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", errors={"limit": ["out of range"]})


def _generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
