"""Spotify's public oEmbed endpoint: a track's cover without credentials.

``GET {SPOTIFY_OEMBED_URL}?url=https://open.spotify.com/track/<id>`` answers JSON whose
``thumbnail_url`` is the album cover (300 px). No key, no token. ``SPOTIFY_OEMBED_URL`` empty
switches it off (offline deployments; the tests point it at a local stub or leave it off).

:func:`cover_lookup` answers a :class:`Lookup`: ``found`` with the URL, ``missing`` (Spotify has
no such track, or no picture for it: 404, 400, no ``thumbnail_url``) or ``fault`` (timeout,
connection refused, 5xx, 429, an answer that is not the expected JSON). It never raises.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import requests
from django.conf import settings

from music.models import SPOTIFY_TRACK_URL, is_track_id

FOUND, MISSING, FAULT = "found", "missing", "fault"
MAX_BODY_BYTES = 64 * 1024  # an oEmbed answer is well under 2 KB


@dataclass(frozen=True)
class Lookup:
    outcome: str           # FOUND, MISSING or FAULT
    url: str = ""          # the cover (FOUND)
    reason: str = ""       # why not (MISSING, FAULT), for the logs
    retry_after: int = 0   # seconds Spotify asked to wait (HTTP 429)


def is_enabled() -> bool:
    return bool(settings.SPOTIFY_OEMBED_URL)


_local = threading.local()  # one requests session (keep-alive connection) per thread


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        session.headers["Accept"] = "application/json"
        _local.session = session
    return session


def cover_lookup(*, track_id: str) -> Lookup:
    """The cover of one track from the oEmbed endpoint (one GET, ``SPOTIFY_OEMBED_TIMEOUT``)."""
    if not is_enabled():
        return Lookup(FAULT, reason="oEmbed is off")
    if not is_track_id(track_id):
        return Lookup(MISSING, reason="not a track id")
    try:
        response = _session().get(settings.SPOTIFY_OEMBED_URL,
                                  params={"url": SPOTIFY_TRACK_URL.format(id=track_id)},
                                  timeout=float(settings.SPOTIFY_OEMBED_TIMEOUT), allow_redirects=False,
                                  stream=True)
    except requests.Timeout:
        return Lookup(FAULT, reason="timeout")
    except requests.RequestException as exc:
        return Lookup(FAULT, reason=f"connection failed ({type(exc).__name__})")
    with response:
        status = response.status_code
        if status in (400, 404):
            return Lookup(MISSING, reason=f"HTTP {status}")
        if status == 429:
            return Lookup(FAULT, reason="HTTP 429", retry_after=_seconds(response.headers.get("Retry-After")))
        if status != 200:
            return Lookup(FAULT, reason=f"HTTP {status}")
        try:
            body = response.raw.read(MAX_BODY_BYTES + 1, decode_content=True)
        except Exception as exc:  # the connection broke, or the body timed out
            return Lookup(FAULT, reason=f"body not read ({type(exc).__name__})")
    if len(body) > MAX_BODY_BYTES:
        return Lookup(FAULT, reason="answer too large")
    try:
        payload = json.loads(body)
    except ValueError:
        return Lookup(FAULT, reason="malformed JSON")
    if not isinstance(payload, dict):
        return Lookup(FAULT, reason="malformed JSON")
    url = payload.get("thumbnail_url")
    if url is None:
        return Lookup(MISSING, reason="no thumbnail")
    if not isinstance(url, str):
        return Lookup(FAULT, reason="malformed thumbnail_url")
    return Lookup(FOUND, url=url)


def _seconds(value) -> int:
    try:
        return max(0, int(str(value).strip()))
    except (TypeError, ValueError):
        return 0
