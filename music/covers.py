"""Covers for tracks that have none, filled in the background: a page never waits for them.

Where a cover comes from:
1. Spotify's Web API (``GET tracks/{id}``, one id a call) when ``SPOTIFY_CLIENT_ID``/``SECRET``
   are set;
2. else Spotify's public oEmbed endpoint (``SPOTIFY_OEMBED_URL``; empty: off);
3. else nowhere: the track keeps its generated artwork (``music.artwork``, ``/covers/<id>.svg``).
A cover found is stored on the track (``Track.thumbnail``), so it is looked up once.
``COVERS_FILL=false`` turns the background filling off.

- :func:`covers_fill_later` asks for the covers of tracks being shown. A pending mark in the cache
  (``PENDING_SECONDS``) makes each track asked for once however many pages show it; then the ids
  go to the Celery task ``music.tasks.covers_fill`` (``CELERY_BROKER_URL`` set), or, without a
  broker (where a task would run inside the request), to one background thread of this process.
- :func:`covers_fill` does the work: one look-up per uncovered track, ``COVERS_LOOKUP_INTERVAL``
  seconds apart (per process, across batches); a track Spotify has no cover for is not asked about again for
  ``MISSING_SECONDS``; the first fault (timeout, refused, 5xx, 429, bad JSON) stops the batch and
  rests the source for ``SPOTIFY_FAILURE_COOLDOWN`` seconds (or the 429's Retry-After); the
  tracks left are returned as ``deferred`` (the task retries them later).
- :func:`covers_fill_recent` (scheduled) asks for the covers of tracks recommended lately.

A cover URL is kept only if the Content-Security-Policy lets pages show it (``CSP_IMG_SOURCES``);
Spotify's image CDN hosts (``*.spotifycdn.com``, ``i.scdn.co``) are stored as ``i.scdn.co``, which
serves every Spotify image id under ``/image/<id>``.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from music.models import Track, is_track_id
from music.providers import oembed, spotify

logger = logging.getLogger(__name__)

BATCH = 20                      # track ids per task
PENDING_SECONDS = 15 * 60       # a track asked for is not queued again meanwhile
MISSING_SECONDS = 7 * 24 * 3600  # Spotify had no cover: ask again after a week
RETRY_AFTER_MAX = 3600          # the longest rest a 429's Retry-After may impose
LOCAL_QUEUE_BATCHES = 50        # without a broker: batches waiting for the background thread
RECENT_HOURS = 24               # covers_fill_recent: tracks recommended this recently
RECENT_LIMIT = 200              # ... at most this many per run
PREFIX = "music:covers:"
OEMBED_COOLDOWN_KEY = PREFIX + "oembed-cooldown"
_SPOTIFY_IMAGE = re.compile(r"^/image/([0-9A-Za-z]{16,64})$")


# --- Which covers may be stored ---------------------------------------------------------------
def cover_url_clean(url) -> str:
    """``url`` as it is stored: HTTPS on a host the Content-Security-Policy allows for images
    (``CSP_IMG_SOURCES``; ``https://*.example.com`` patterns too), Spotify's CDN hosts as
    ``i.scdn.co``; ``""`` for anything else (a page would not show it)."""
    if not isinstance(url, str) or len(url) > Track._meta.get_field("thumbnail").max_length:
        return ""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # a malformed address or port
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password or port not in (None, 443):
        return ""
    image = _SPOTIFY_IMAGE.match(parts.path)
    if image and (host == "i.scdn.co" or host.endswith(".spotifycdn.com")):
        url, host = f"https://i.scdn.co/image/{image.group(1)}", "i.scdn.co"
    return url if any(_host_allowed(host, source) for source in settings.CSP_IMG_SOURCES) else ""


def _host_allowed(host: str, source: str) -> bool:
    allowed = urlsplit(source if "://" in source else f"https://{source}")
    if allowed.scheme != "https" or not allowed.hostname:
        return False
    pattern = allowed.netloc.lower()
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return host == pattern


# --- Marks in the cache (a cache outage only means more look-ups) ---------------------------
def _cache_call(method: str, *args, default=None):
    try:
        return getattr(cache, method)(*args)
    except Exception as exc:
        logger.warning("cache unavailable for covers (%s)", type(exc).__name__)
        return default


def _pending_key(track_id: str) -> str:
    return f"{PREFIX}pending:{track_id}"


def _missing_key(track_id: str) -> str:
    return f"{PREFIX}missing:{track_id}"


def covers_release(*, track_ids: Iterable[str]) -> None:
    """Lifts the pending marks: the tracks may be asked for again."""
    keys = [_pending_key(track_id) for track_id in track_ids]
    if keys:
        _cache_call("delete_many", keys)


def covers_source() -> str:
    """``"spotify"``, ``"oembed"`` or ``""`` (covers cannot be fetched: generated artwork only)."""
    if spotify.is_configured():
        return "spotify"
    if oembed.is_enabled():
        return "oembed"
    return ""


# --- Asking for covers ---------------------------------------------------------------------
def covers_fill_later(*, track_ids: Iterable[str]) -> list[str]:
    """Queues the tracks (saved ones, without a cover) for :func:`covers_fill`, unless they are
    already queued or known to have no cover. Never waits for Spotify and never raises: a broker
    or cache fault only leaves the generated artwork. Returns the ids queued (none when
    ``COVERS_FILL`` is off or no source is configured)."""
    if not settings.COVERS_FILL or not covers_source():
        return []
    ids = [track_id for track_id in dict.fromkeys(track_ids) if is_track_id(track_id)]
    if ids:
        uncovered = set(Track.objects.filter(pk__in=ids, thumbnail="").values_list("pk", flat=True))
        ids = [track_id for track_id in ids if track_id in uncovered]
    if not ids:
        return []
    missing = _cache_call("get_many", [_missing_key(track_id) for track_id in ids], default={}) or {}
    ids = [track_id for track_id in ids if _missing_key(track_id) not in missing]
    ids = [track_id for track_id in ids if _cache_call("add", _pending_key(track_id), 1, PENDING_SECONDS)]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        if not _enqueue(batch):
            covers_release(track_ids=ids[start:])
            return ids[:start]
    return ids


def _enqueue(batch: list[str]) -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return _local_submit(batch)
    from music.tasks import covers_fill as task

    try:
        task.delay(track_ids=batch)
    except Exception as exc:  # the broker is down: the artwork stays, the schedule asks again
        logger.warning("covers not queued (%s)", type(exc).__name__)
        return False
    return True


# Without a broker: one daemon thread per process works through a bounded queue of batches.
_local_queue: queue.Queue = queue.Queue(maxsize=LOCAL_QUEUE_BATCHES)
_local_lock = threading.Lock()
_local_thread: threading.Thread | None = None


def _local_submit(batch: list[str]) -> bool:
    global _local_thread
    try:
        _local_queue.put_nowait(batch)
    except queue.Full:
        return False
    with _local_lock:
        if _local_thread is None or not _local_thread.is_alive():
            _local_thread = threading.Thread(target=_local_work, name="covers-fill", daemon=True)
            _local_thread.start()
    return True


def _local_work() -> None:
    while True:
        batch = _local_queue.get()
        try:
            result = covers_fill(track_ids=batch)
            covers_release(track_ids=result.deferred)  # no retries here: the next showing asks again
        except Exception:
            logger.exception("filling covers failed")
            covers_release(track_ids=batch)
        finally:
            connections.close_all()  # this thread's database connections
            _local_queue.task_done()


def covers_wait_idle(*, timeout: float) -> bool:
    """Waits until this process's background thread has no batch left (tests, commands); True
    when idle within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while _local_queue.unfinished_tasks:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


# --- Filling -------------------------------------------------------------------------------
@dataclass
class CoversFillResult:
    filled: list[str] = field(default_factory=list)    # a cover was found and stored
    missing: list[str] = field(default_factory=list)   # Spotify has none (not asked again for a while)
    deferred: list[str] = field(default_factory=list)  # not looked up: a fault or a rest; try later
    wait: int = 0                                      # seconds before the source may be asked again


def covers_fill(*, track_ids: Iterable[str]) -> CoversFillResult:
    """Looks up and stores the covers of the tracks in ``track_ids`` that are saved and have
    none (others, and those known to have none, are skipped: idempotent). Returns what became of each one looked up; the pending
    marks of all but the deferred ones are lifted."""
    result = CoversFillResult()
    ids = [track_id for track_id in dict.fromkeys(track_ids) if is_track_id(track_id)]
    wanted = set(Track.objects.filter(pk__in=ids, thumbnail="").values_list("pk", flat=True))
    known_missing = _cache_call("get_many", [_missing_key(track_id) for track_id in wanted], default={}) or {}
    todo = [track_id for track_id in ids if track_id in wanted and _missing_key(track_id) not in known_missing]
    source = covers_source()
    for position, track_id in enumerate(todo):
        wait = _resting(source)
        if wait or not source:
            result.deferred, result.wait = todo[position:], wait
            break
        _pace()
        outcome, url = _lookup(source, track_id)
        if outcome == oembed.FOUND:
            Track.objects.filter(pk=track_id, thumbnail="").update(thumbnail=url)
            result.filled.append(track_id)
        elif outcome == oembed.MISSING:
            _cache_call("set", _missing_key(track_id), 1, MISSING_SECONDS)
            result.missing.append(track_id)
        else:
            result.deferred, result.wait = todo[position:], _resting(source)
            break
    covers_release(track_ids=[track_id for track_id in ids if track_id not in set(result.deferred)])
    return result


# Look-ups of this process are ``COVERS_LOOKUP_INTERVAL`` seconds apart, whichever batch they are in.
_pace_lock = threading.Lock()
_pace_next = 0.0


def _pace() -> None:
    global _pace_next
    interval = max(0.0, float(settings.COVERS_LOOKUP_INTERVAL))
    with _pace_lock:
        now = time.monotonic()
        wait = _pace_next - now
        _pace_next = max(now, _pace_next) + interval
    if wait > 0:
        time.sleep(wait)


def _lookup(source: str, track_id: str) -> tuple[str, str]:
    if source == "spotify":
        remote = spotify.get_track(track_id=track_id)
        if remote is None:  # unknown to Spotify, or a fault (then Spotify is resting)
            return (oembed.FAULT, "") if not spotify.is_available() else (oembed.MISSING, "")
        url = cover_url_clean(remote.thumbnail)
        return (oembed.FOUND, url) if url else (oembed.MISSING, "")
    lookup = oembed.cover_lookup(track_id=track_id)
    if lookup.outcome == oembed.FAULT:
        rest = max(int(settings.SPOTIFY_FAILURE_COOLDOWN), min(lookup.retry_after, RETRY_AFTER_MAX))
        logger.warning("spotify oEmbed failed (%s); covers wait %d s", lookup.reason, rest)
        if rest > 0:
            _cache_call("set", OEMBED_COOLDOWN_KEY, time.time() + rest, rest)
        return oembed.FAULT, ""
    if lookup.outcome == oembed.FOUND:
        url = cover_url_clean(lookup.url)
        if url:
            return oembed.FOUND, url
        logger.info("oEmbed cover of %s not allowed by the image policy: kept the artwork", track_id)
    return oembed.MISSING, ""


def _resting(source: str) -> int:
    """Seconds before ``source`` may be asked again after a fault (0: now)."""
    if source == "spotify":
        return int(settings.SPOTIFY_FAILURE_COOLDOWN) if not spotify.is_available() else 0
    if source == "oembed":
        until = _cache_call("get", OEMBED_COOLDOWN_KEY)
        return max(0, int(until - time.time()) + 1) if isinstance(until, (int, float)) else 0
    return 0


def covers_fill_recent(*, hours: int = RECENT_HOURS, limit: int = RECENT_LIMIT) -> list[str]:
    """Queues the covers of tracks recommended in the last ``hours`` that still have none (the
    schedule's catch-up for tracks whose look-up failed or was never queued). Returns the ids."""
    if not covers_source():
        return []
    since = timezone.now() - timedelta(hours=hours)
    # ``history_entries``: the tracks of recent history entries (history's relation to Track).
    ids = (Track.objects.filter(thumbnail="", history_entries__created_at__gte=since)
           .order_by().values_list("pk", flat=True).distinct()[:limit])
    return covers_fill_later(track_ids=list(ids))
