"""A local copy of Spotify's public oEmbed endpoint for tests: a real HTTP server on 127.0.0.1 that
``music.providers.oembed`` talks to once ``SPOTIFY_OEMBED_URL`` points at ``stub.endpoint``.

``GET /oembed?url=https://open.spotify.com/track/<id>`` answers what Spotify answers: a JSON
object with ``thumbnail_url`` (the album cover) for a track in ``stub.covers``, 404 for any other.

Faults (``stub.mode``): ``"ok"``, ``"error"`` (HTTP 500), ``"rate_limited"`` (429 with
``Retry-After: stub.retry_after``), ``"bad_json"`` (200, broken JSON), ``"slow"`` (answers after
``stub.delay`` seconds), ``"hold"`` (answers only once ``stub.release()`` is called), or
``stub.close()`` (connection refused). ``stub.requests`` records every request (track id asked
for, the raw ``url`` parameter, and when it arrived).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.stubs.server import LocalHTTPStub, StubHandler

TRACK_PREFIX = "https://open.spotify.com/track/"


@dataclass
class OEmbedRequest:
    path: str
    url: str         # the ``url`` query parameter as received
    track_id: str    # the id in it ("" when it is not a track URL)
    at: float        # time.monotonic() on arrival


def oembed_answer(track_id: str, thumbnail_url: str | None, *, title: str = "A Song") -> dict:
    """An oEmbed object as Spotify returns it for a track."""
    answer = {
        "html": f'<iframe style="border-radius: 12px" width="100%" height="152" title="Spotify Embed: {title}" '
                f'frameborder="0" allowfullscreen allow="autoplay; clipboard-write; encrypted-media; fullscreen; '
                f'picture-in-picture" loading="lazy" src="https://open.spotify.com/embed/track/{track_id}'
                f'?utm_source=oembed"></iframe>',
        "iframe_url": f"https://open.spotify.com/embed/track/{track_id}?utm_source=oembed",
        "width": 456, "height": 152, "version": "1.0", "provider_name": "Spotify",
        "provider_url": "https://spotify.com", "type": "rich", "title": title,
    }
    if thumbnail_url is not None:
        answer.update({"thumbnail_url": thumbnail_url, "thumbnail_width": 300, "thumbnail_height": 300})
    return answer


class OEmbedStub(LocalHTTPStub):
    def __init__(self):
        self.covers: dict[str, str | None] = {}  # track id -> thumbnail_url (None: answered without one)
        self.mode = "ok"
        self.delay = 2.0
        self.retry_after = 30
        self._held = threading.Event()
        super().__init__(name="oembed-stub")

    @property
    def endpoint(self) -> str:
        return f"{self.url}/oembed"

    def add_cover(self, track_id: str, thumbnail_url: str | None = None) -> str | None:
        self.covers[track_id] = f"https://i.scdn.co/image/ab67616d00001e02{track_id.lower()}" \
            if thumbnail_url is None else thumbnail_url
        return self.covers[track_id]

    def release(self) -> None:
        """Lets the requests held in ``"hold"`` mode (and later ones) be answered."""
        self._held.set()

    def asked(self) -> list[str]:
        with self._lock:
            return [request.track_id for request in self.requests]

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.requests) >= count:
                    return True
            time.sleep(0.02)
        return False

    def _handler_class(self):
        stub = self

        class Handler(StubHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                url = parse_qs(parts.query).get("url", [""])[0]
                track_id = url[len(TRACK_PREFIX):] if url.startswith(TRACK_PREFIX) else ""
                with stub._lock:
                    stub.requests.append(OEmbedRequest(parts.path, url, track_id, time.monotonic()))
                if parts.path != "/oembed":
                    return self.send_json(404, {"error": "not found"})
                mode = stub.mode
                if mode == "slow":
                    stub._release.wait(stub.delay)
                elif mode == "hold":
                    while not (stub._held.wait(0.05) or stub._release.is_set()):
                        pass
                if mode == "error":
                    return self.send_json(500, b"<html>Internal error</html>", content_type="text/html")
                if mode == "rate_limited":
                    return self.send_json(429, None, headers={"Retry-After": str(stub.retry_after)})
                if mode == "bad_json":
                    return self.send_json(200, b'{"thumbnail_url": "https://i.scdn.co/ima')
                if track_id not in stub.covers:
                    return self.send_json(404, b"Not Found", content_type="text/plain")
                self.send_json(200, oembed_answer(track_id, stub.covers[track_id]))

        return Handler


@pytest.fixture
def oembed_stub(settings):
    """A running oEmbed stub as the covers' source (no Spotify credentials), covers filled in the
    background, look-ups not spaced out (a test about pacing sets the interval)."""
    stub = OEmbedStub().start()
    settings.SPOTIFY_CLIENT_ID = settings.SPOTIFY_CLIENT_SECRET = ""
    settings.SPOTIFY_OEMBED_URL = stub.endpoint
    settings.SPOTIFY_OEMBED_TIMEOUT = 0.5
    settings.SPOTIFY_FAILURE_COOLDOWN = 30
    settings.COVERS_LOOKUP_INTERVAL = 0
    settings.COVERS_FILL = True
    try:
        yield stub
    finally:
        stub.close()
