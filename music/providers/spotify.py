"""Spotify Web API through spotipy (client-credentials flow), for live search, covers and links.

Used only when ``SPOTIFY_CLIENT_ID`` and ``SPOTIFY_CLIENT_SECRET`` are set. Every public function
here returns ``None`` instead of raising when Spotify cannot answer (connection refused, timeout,
5xx, 4xx, 429, malformed JSON, token failure): the fault is logged once as a warning (type and
status only, never credentials or tokens) and callers fall back to the local catalog. After a fault,
calls are skipped for ``SPOTIFY_FAILURE_COOLDOWN`` seconds so an outage costs one timeout, not one
per request.

Only two endpoints are ever called: ``GET search?type=track`` (at most 10 items, Spotify's current
page maximum) and ``GET tracks/{id}`` (one id). Endpoints Spotify closed to new apps (audio
features, recommendations, related artists, browse/featured/category playlists, multi-id look-ups)
are never used. Answers are cached in the Django cache (Redis in production) for
``SPOTIFY_CACHE_SECONDS``; the app token is cached there too, shared by all workers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import asdict, dataclass

import requests
import spotipy
from django.conf import settings
from django.core.cache import cache
from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyException, SpotifyOauthError
from spotipy.oauth2 import SpotifyClientCredentials

from music.models import is_track_id

logger = logging.getLogger(__name__)

SEARCH_PAGE_MAX = 10  # Spotify's maximum page size for search since Feb 2026 (development mode)
CACHE_PREFIX = "music:spotify:"
COOLDOWN_KEY = CACHE_PREFIX + "cooldown"
_MISSING = "__missing__"  # cached answer for "Spotify has no such track"


@dataclass(frozen=True)
class RemoteTrack:
    """A track as Spotify describes it, reduced to what the app shows and stores."""

    id: str
    name: str
    artist: str
    album: str = ""
    album_id: str = ""
    release_date: str = ""
    thumbnail: str = ""
    duration_ms: int | None = None
    popularity: int | None = None

    def track_fields(self) -> dict:
        """Fields for a ``music.models.Track`` (no audio features: Spotify no longer gives them)."""
        year = self.release_date[:4]
        return {
            "id": self.id, "name": self.name[:300], "artist": self.artist[:300], "album": self.album[:300],
            "album_id": self.album_id if is_track_id(self.album_id) else "",
            "release_date": self.release_date if len(self.release_date) <= 10 else "",
            "release_year": int(year) if year.isdigit() and len(self.release_date) <= 10 else None,
            "popularity": self.popularity, "duration_ms": self.duration_ms,
            "thumbnail": self.thumbnail if len(self.thumbnail) <= 500 else "",
        }


def is_configured() -> bool:
    return bool(settings.SPOTIFY_CLIENT_ID and settings.SPOTIFY_CLIENT_SECRET)


def is_available() -> bool:
    """Configured and not cooling down after a recent fault."""
    return is_configured() and not _cooling_down()


# --- Public API ------------------------------------------------------------------------------
def search_tracks(*, query: str, limit: int = SEARCH_PAGE_MAX) -> list[RemoteTrack] | None:
    """Live track search (title, artist or album). ``None`` when unconfigured or Spotify failed."""
    if not is_configured():
        return None
    limit = max(1, min(int(limit), SEARCH_PAGE_MAX))
    digest = hashlib.sha256(f"{limit}\n{query.casefold()}".encode()).hexdigest()[:32]
    key = f"{CACHE_PREFIX}search:{digest}"
    cached = _cache_get(key)
    if isinstance(cached, list):
        return [RemoteTrack(**item) for item in cached]
    if _cooling_down():
        return None
    try:
        payload = _client().search(q=query, limit=limit, type="track")
        items = payload["tracks"]["items"]
        if not isinstance(items, list):
            raise MalformedResponse("tracks.items is not a list")
    except Exception as exc:  # any fault: the caller falls back to the catalog
        _fault("search", exc)
        return None
    tracks = [track for track in map(_parse_track, items) if track is not None][:limit]
    _cache_set(key, [asdict(track) for track in tracks])
    return tracks


def get_track(*, track_id: str) -> RemoteTrack | None:
    """One track by id (cover, album, link). ``None`` when unconfigured, unknown, or Spotify failed."""
    if not is_configured() or not is_track_id(track_id):
        return None
    key = f"{CACHE_PREFIX}track:{track_id}"
    cached = _cache_get(key)
    if cached == _MISSING:
        return None
    if isinstance(cached, dict):
        return RemoteTrack(**cached)
    if _cooling_down():
        return None
    try:
        payload = _client().track(track_id)
    except SpotifyException as exc:
        if exc.http_status in (400, 404):  # no such track: an answer, not a fault
            logger.info("spotify has no track %s (HTTP %s)", track_id, exc.http_status)
            _cache_set(key, _MISSING)
            return None
        _fault("track look-up", exc)
        return None
    except Exception as exc:
        _fault("track look-up", exc)
        return None
    track = _parse_track(payload)
    if track is None:
        _fault("track look-up", MalformedResponse("not a track object"))
        return None
    _cache_set(key, asdict(track))
    return track


# --- Parsing ---------------------------------------------------------------------------------
class MalformedResponse(ValueError):
    pass


def _parse_track(item) -> RemoteTrack | None:
    """A Spotify track object -> RemoteTrack; ``None`` for anything that is not a usable track."""
    if not isinstance(item, dict) or not is_track_id(item.get("id")):
        return None
    name = item.get("name")
    artists = item.get("artists")
    if not isinstance(name, str) or not name.strip() or not isinstance(artists, list) or not artists:
        return None
    artist = artists[0].get("name") if isinstance(artists[0], dict) else None
    if not isinstance(artist, str) or not artist.strip():
        return None
    album = item.get("album") if isinstance(item.get("album"), dict) else {}
    images = album.get("images") if isinstance(album.get("images"), list) else []
    thumbnail = ""
    for image in images:  # Spotify lists the widest first (640 px)
        url = image.get("url") if isinstance(image, dict) else None
        if isinstance(url, str) and url.startswith("https://"):
            thumbnail = url
            break
    duration = item.get("duration_ms")
    popularity = item.get("popularity")
    return RemoteTrack(
        id=item["id"],
        name=name.strip(),
        artist=artist.strip(),
        album=album.get("name").strip() if isinstance(album.get("name"), str) else "",
        album_id=album.get("id") if is_track_id(album.get("id")) else "",
        release_date=album.get("release_date") if isinstance(album.get("release_date"), str) else "",
        thumbnail=thumbnail,
        duration_ms=duration if isinstance(duration, int) and 0 < duration < 2**31 else None,
        popularity=popularity if isinstance(popularity, int) and 0 <= popularity <= 100 else None,
    )


# --- Client ----------------------------------------------------------------------------------
class _ClientCredentials(SpotifyClientCredentials):
    """spotipy reads the token endpoint from the ``OAUTH_TOKEN_URL`` attribute (2.26); an instance
    attribute redirects it (tests: a local stub; production: the default)."""

    def __init__(self, *, token_url: str, **kwargs):
        super().__init__(**kwargs)
        self.OAUTH_TOKEN_URL = token_url


class _DjangoCacheTokenHandler(CacheHandler):
    """Keeps the app token in the Django cache (shared by workers; never a ``.cache`` file)."""

    def __init__(self, key: str):
        self.key = key

    def get_cached_token(self):
        token = _cache_get(self.key)
        return token if isinstance(token, dict) else None

    def save_token_to_cache(self, token_info):
        ttl = int(token_info.get("expires_in") or 3600) if isinstance(token_info, dict) else 0
        if ttl > 0:
            _cache_set(self.key, token_info, timeout=max(ttl - 60, 1))


_local = threading.local()  # one client (requests session) per thread and configuration


def _client() -> spotipy.Spotify:
    prefix = settings.SPOTIFY_API_PREFIX if settings.SPOTIFY_API_PREFIX.endswith("/") \
        else settings.SPOTIFY_API_PREFIX + "/"
    config = (settings.SPOTIFY_CLIENT_ID, settings.SPOTIFY_CLIENT_SECRET, prefix, settings.SPOTIFY_TOKEN_URL,
              float(settings.SPOTIFY_TIMEOUT))
    cached = getattr(_local, "client", None)
    if cached is not None and cached[0] == config:
        return cached[1]
    client_id, client_secret, _, token_url, timeout = config
    token_key = CACHE_PREFIX + "token:" + hashlib.sha256(f"{client_id}\n{token_url}".encode()).hexdigest()[:24]
    auth = _ClientCredentials(
        client_id=client_id, client_secret=client_secret, requests_timeout=timeout,
        cache_handler=_DjangoCacheTokenHandler(token_key), token_url=token_url,
    )
    # retries=0: a failing Spotify is answered from the catalog at once instead of retried
    # (urllib3 would also honour a 429's Retry-After by sleeping).
    client = spotipy.Spotify(auth_manager=auth, requests_timeout=timeout, retries=0, status_retries=0)
    client.prefix = prefix  # spotipy 2.26 has no ``prefix`` argument; the attribute is what it reads
    _local.client = (config, client)
    return client


# --- Faults and cache ------------------------------------------------------------------------
def _describe(exc: BaseException) -> str:
    if isinstance(exc, SpotifyOauthError):
        return "token request refused"
    if isinstance(exc, SpotifyException):
        return f"HTTP {exc.http_status}"
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    if isinstance(exc, (MalformedResponse, ValueError, KeyError, TypeError)):
        return "malformed response"
    return type(exc).__name__


def _fault(operation: str, exc: BaseException) -> None:
    logger.warning("spotify %s failed (%s); falling back to the local catalog", operation, _describe(exc))
    cooldown = int(settings.SPOTIFY_FAILURE_COOLDOWN)
    if cooldown > 0:
        _cache_set(COOLDOWN_KEY, True, timeout=cooldown)


def _cooling_down() -> bool:
    return bool(_cache_get(COOLDOWN_KEY))


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception as exc:  # a cache outage degrades to uncached calls
        logger.warning("cache unavailable for spotify (%s)", type(exc).__name__)
        return None


def _cache_set(key: str, value, timeout: int | None = None) -> None:
    try:
        cache.set(key, value, settings.SPOTIFY_CACHE_SECONDS if timeout is None else timeout)
    except Exception as exc:
        logger.warning("cache unavailable for spotify (%s)", type(exc).__name__)
