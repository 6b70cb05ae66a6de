"""Mood -> tracks. A mood is a target point in Spotify's valence/energy space; tracks are ranked by
distance to it, sampled among the close ones so that calls vary, one track per artist.

Speed: the catalog's (id, artist, valence, energy) live in memory as numpy arrays, loaded once per
process and reloaded when the catalog version in the cache changes (``catalog_index_invalidate``,
called by ``load_catalog`` and by saves of catalog tracks). A call is numpy arithmetic over ~28k
floats plus one primary-key query for the chosen rows, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import transaction

from music.models import Track
from vexora.errors import InvalidInput, mood_checked, strategy_checked
from vexora.moods import MOODS, STRATEGIES, UPLIFT_MOODS

logger = logging.getLogger(__name__)


# (valence, energy) targets. Valence: musical positiveness; energy: intensity. Both in [0, 1].
MOOD_TARGETS: dict[str, tuple[float, float]] = {
    "happy": (0.85, 0.80),    # bright and lively
    "angry": (0.20, 0.88),    # dark and intense
    "sad": (0.15, 0.25),      # dark and quiet
    "neutral": (0.65, 0.30),  # calm: pleasant and relaxed
}
# Where an uplifting list ends: calmer and happier than sad or angry, without jumping to party.
UPLIFT_GOAL = (0.80, 0.50)

MAX_LIMIT = 50
POOL_MIN = 150        # match: sample among at least this many nearest tracks...
POOL_PER_TRACK = 15   # ...or limit * this many, whichever is larger
WAYPOINT_POOL = 40    # uplift: candidates considered around each step of the journey
CORRIDOR_MIN = 1500   # uplift: tracks nearest the start -> goal segment that the steps choose from
VERSION_KEY = "music:catalog:version"
STALE_AFTER_SECONDS = 60  # reload at least this often when the cache cannot be read


# --- Public API ------------------------------------------------------------------------------
def recommend_tracks(*, mood: str, strategy: str = "match", exclude_ids: Iterable[str] = (), limit: int = 10,
                     rng: np.random.Generator | int | None = None) -> list[Track]:
    """Up to ``limit`` catalog tracks for ``mood`` ("happy", "sad", "angry", "neutral").

    - ``strategy="match"``: tracks close to the mood's target, listed closest first.
    - ``strategy="uplift"`` (sad, angry): the list starts close to the mood and moves step by step
      toward calmer, happier tracks (valence rises along the list); same as "match" otherwise.
    - No artist appears twice; ``exclude_ids`` (e.g. the user's recent recommendations) are left
      out; successive calls differ (weighted sampling among close candidates; pass ``rng`` -- a
      numpy Generator or an int seed -- for reproducible lists).
    - Returns fewer tracks only when the catalog (minus exclusions) cannot fill the list.
    Raises ``InvalidInput`` for an unknown mood or strategy or a limit outside 1..50.
    """
    mood_key = mood_checked(mood)
    strategy_checked(strategy)
    _check_limit(limit)
    generator = _generator(rng)
    index = catalog_index()
    if index.size == 0:
        return []
    blocked = ~index.has_features  # a new array: safe to mark exclusions on
    for track_id in exclude_ids or ():
        position = index.position.get(track_id)
        if position is not None:
            blocked[position] = True
    if strategy == "uplift" and mood_key in UPLIFT_MOODS:
        chosen = _uplift(index, MOOD_TARGETS[mood_key], UPLIFT_GOAL, blocked, limit, generator)
    else:
        chosen = _match(index, MOOD_TARGETS[mood_key], blocked, limit, generator)
    return _fetch(index, chosen)


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
    ids: np.ndarray           # object array of track ids
    artist_codes: np.ndarray  # int32: same code = same artist (case-insensitive)
    valence: np.ndarray       # float64, NaN when unknown
    energy: np.ndarray
    has_features: np.ndarray  # bool
    position: dict            # track id -> row in the arrays

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


def _load_index(version: str | None) -> CatalogIndex:
    started = time.perf_counter()
    rows = list(Track.objects.filter(in_catalog=True).order_by().values_list("id", "artist", "valence", "energy"))
    codes: dict[str, int] = {}
    artist_codes = np.fromiter((codes.setdefault(row[1].casefold(), len(codes)) for row in rows),
                               dtype=np.int32, count=len(rows))
    valence = np.array([row[2] for row in rows], dtype=np.float64) if rows else np.empty(0)
    energy = np.array([row[3] for row in rows], dtype=np.float64) if rows else np.empty(0)
    ids = np.array([row[0] for row in rows], dtype=object)
    index = CatalogIndex(
        version=version, loaded_at=time.monotonic(), ids=ids, artist_codes=artist_codes,
        valence=valence, energy=energy, has_features=~(np.isnan(valence) | np.isnan(energy)),
        position={track_id: i for i, track_id in enumerate(ids)},
    )
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
def _distances(index: CatalogIndex, target, blocked: np.ndarray) -> np.ndarray:
    distance = np.hypot(index.valence - target[0], index.energy - target[1])
    distance[blocked] = np.inf
    return distance


def _weighted_order(distance: np.ndarray, generator: np.random.Generator) -> np.ndarray:
    """A random order of candidates where closer ones tend to come first (Efraimidis-Spirakis
    weighted sampling without replacement; weights fall off exponentially with distance)."""
    spread = float(distance.max() - distance.min()) or 1e-9
    weights = np.exp(-3.0 * (distance - distance.min()) / spread)  # nearest ~20x likelier than farthest
    keys = np.log(generator.random(len(distance))) / weights
    return np.argsort(-keys)


def _match(index: CatalogIndex, target, blocked, limit, generator) -> list[int]:
    distance = _distances(index, target, blocked)
    available = int(np.isfinite(distance).sum())
    if available == 0:
        return []
    pool_size = min(available, max(POOL_MIN, limit * POOL_PER_TRACK))
    pool = np.argpartition(distance, pool_size - 1)[:pool_size]
    chosen, artists = [], set()
    for candidate in pool[_weighted_order(distance[pool], generator)]:
        _take(index, int(candidate), chosen, artists)
        if len(chosen) == limit:
            break
    if len(chosen) < limit:  # many repeated artists near the target: widen, nearest first
        for candidate in np.argsort(distance, kind="stable")[:available]:
            _take(index, int(candidate), chosen, artists)
            if len(chosen) == limit:
                break
    return sorted(chosen, key=lambda i: distance[i])


def _uplift(index: CatalogIndex, start, goal, blocked, limit, generator) -> list[int]:
    start, goal = np.asarray(start), np.asarray(goal)
    direction = goal - start
    # Work on the tracks nearest the journey's segment (a few thousand of ~28k): each step then
    # costs microseconds. Steps fall back to the whole catalog if that corridor runs dry.
    along = np.clip(((index.valence - start[0]) * direction[0] + (index.energy - start[1]) * direction[1])
                    / float(direction @ direction), 0.0, 1.0)
    off_path = np.hypot(index.valence - (start[0] + along * direction[0]),
                        index.energy - (start[1] + along * direction[1]))
    off_path[blocked] = np.inf
    available = int(np.isfinite(off_path).sum())
    if available == 0:
        return []
    size = min(available, max(CORRIDOR_MIN, limit * WAYPOINT_POOL * 4))
    corridor = np.argpartition(off_path, size - 1)[:size]
    taken = np.zeros(size, dtype=bool)
    chosen, artists = [], set()
    for step in range(limit):
        waypoint = start + direction * (step / max(limit - 1, 1))
        distance = np.hypot(index.valence[corridor] - waypoint[0], index.energy[corridor] - waypoint[1])
        distance[taken] = np.inf
        left = int(np.isfinite(distance).sum())
        picked = None
        if left:
            pool = np.argpartition(distance, min(left, WAYPOINT_POOL) - 1)[:min(left, WAYPOINT_POOL)]
            for local in pool[_weighted_order(distance[pool], generator)]:
                if int(index.artist_codes[corridor[local]]) not in artists:
                    picked = int(corridor[local])
                    taken[local] = True
                    break
        if picked is None:  # every nearby track is by an artist already listed: search everywhere
            everywhere = _distances(index, waypoint, blocked)
            for candidate in np.argsort(everywhere, kind="stable")[:int(np.isfinite(everywhere).sum())]:
                if int(index.artist_codes[candidate]) not in artists:
                    picked = int(candidate)
                    break
        if picked is None:
            break
        _take(index, picked, chosen, artists)
        blocked[picked] = True
    # The journey's order: by progress along start -> goal (valence rises along the list).
    progress = {i: (index.valence[i] - start[0]) * direction[0] + (index.energy[i] - start[1]) * direction[1]
                for i in chosen}
    return sorted(chosen, key=progress.__getitem__)


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
