"""A local Spotify Web API for tests: a real HTTP server on 127.0.0.1 that the real ``spotipy``
2.26 client talks to once ``SPOTIFY_API_PREFIX`` and ``SPOTIFY_TOKEN_URL`` point at it.

What it serves (what Vexora may call, and nothing else):
- ``POST /api/token`` (client-credentials flow, ``Authorization: Basic id:secret``) -> an app token;
- ``GET /v1/search?q=&type=track&limit=`` -> ``{"tracks": {"items": [...]}}`` (items whose name,
  artist or album contain the query, case-insensitive; 400 when ``limit`` > 10, Spotify's current
  maximum);
- ``GET /v1/tracks/{id}`` -> a track object, or 404.
Anything else answers 404 and stays in ``stub.requests``, so a test can assert that no endpoint
closed to new apps (audio-features, recommendations, related-artists, browse, multi-id look-ups)
was ever called.

Faults, per endpoint (``stub.modes["search" | "track" | "token"]``): ``"ok"``, ``"error"`` (HTTP
500), ``"rate_limited"`` (429 with Retry-After), ``"unauthorized"`` (401), ``"bad_json"`` (200,
broken JSON), ``"slow"`` (answers after ``stub.delay`` seconds), or ``stub.close()`` (connection
refused).
``stub.track_latency`` (seconds, default 0) delays every track look-up that is answered, and
``stub.max_in_flight`` records the most track look-ups the stub was serving at the same time.
``stub.drop_connections()`` closes every open keep-alive connection, as Spotify does to idle ones.
"""

from __future__ import annotations

import base64
import socket
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from tests.stubs.server import LocalHTTPStub, StubHandler

MODES = ("ok", "error", "rate_limited", "unauthorized", "bad_json", "slow")
CLIENT_ID = "stub-client-id"
CLIENT_SECRET = "stub-client-secret-do-not-log"
ACCESS_TOKEN = "stub-access-token"


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict  # name -> first value
    raw_query: str
    headers: dict
    client_port: int = 0  # the connection it came on (keep-alive reuses one)


def track_object(track_id: str, name: str, artist: str, *, album: str = "An Album",
                 cover: str | None = None, album_id: str = "1" * 22, release_date: str = "2020-05-01") -> dict:
    """A Spotify track object as the Web API returns it (the fields the app reads, and a few more)."""
    cover = cover or f"https://i.scdn.co/image/cover-{track_id}"
    return {
        "id": track_id,
        "name": name,
        "type": "track",
        "uri": f"spotify:track:{track_id}",
        "duration_ms": 201000,
        "explicit": False,
        "external_urls": {"spotify": f"https://open.spotify.com/track/{track_id}"},
        "artists": [{"id": "2" * 22, "name": artist, "type": "artist"}],
        "album": {
            "id": album_id,
            "name": album,
            "release_date": release_date,
            "images": [
                {"url": cover, "width": 640, "height": 640},
                {"url": cover + "-300", "width": 300, "height": 300},
            ],
        },
    }


class SpotifyStub(LocalHTTPStub):
    def __init__(self):
        self.tracks: dict[str, dict] = {}
        self.modes = {"search": "ok", "track": "ok", "token": "ok"}
        self.delay = 2.0
        self.track_latency = 0.0
        self.in_flight = 0
        self.max_in_flight = 0
        self._open_connections: set[socket.socket] = set()
        super().__init__(name="spotify-stub")

    @property
    def api_prefix(self) -> str:
        return f"{self.url}/v1/"

    @property
    def token_url(self) -> str:
        return f"{self.url}/api/token"

    # --- helpers for tests ----------------------------------------------------------------
    def add_track(self, track_id: str, name: str, artist: str, **kwargs) -> dict:
        self.tracks[track_id] = track_object(track_id, name, artist, **kwargs)
        return self.tracks[track_id]

    def drop_connections(self) -> bool:
        """Closes every open client connection (the server's side), as a server does to keep-alive
        connections left idle; True once all are gone."""
        with self._lock:
            connections = list(self._open_connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the client
                pass
        return self.wait_until(lambda: not self._open_connections)

    def api_requests(self) -> list[RecordedRequest]:
        """Requests to the Web API (the token endpoint excluded)."""
        with self._lock:
            return [r for r in self.requests if r.path.startswith("/v1/")]

    def token_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == "/api/token"]

    def unexpected_requests(self) -> list[RecordedRequest]:
        """Anything but the token, single-track look-ups and track searches of at most 10 items."""
        bad = []
        with self._lock:
            recorded = list(self.requests)
        for request in recorded:
            parts = request.path.strip("/").split("/")
            if request.method == "POST" and request.path == "/api/token":
                continue
            if request.method == "GET" and parts == ["v1", "search"] and request.query.get("type") == "track" \
                    and int(request.query.get("limit", "20")) <= 10:
                continue
            if request.method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "tracks"] and parts[2] \
                    and "ids" not in request.query:
                continue
            bad.append(request)
        return bad

    # --- the server -----------------------------------------------------------------------
    def _handler_class(self):
        stub = self

        class Handler(StubHandler):
            def setup(self):
                super().setup()
                with stub._lock:
                    stub._open_connections.add(self.connection)

            def finish(self):
                with stub._lock:
                    stub._open_connections.discard(self.connection)
                super().finish()

            def _record(self) -> RecordedRequest:
                split = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(split.query).items()}
                request = RecordedRequest(self.command, split.path, query, split.query,
                                          {k.lower(): v for k, v in self.headers.items()},
                                          self.client_address[1])
                with stub._lock:
                    stub.requests.append(request)
                return request

            def _send(self, status: int, body, headers: dict | None = None):
                self.send_json(status, body, headers=headers)

            def _fault(self, mode: str) -> bool:
                """Answers a fault for ``mode``; True when it did (the caller stops)."""
                if mode == "slow":
                    stub._release.wait(stub.delay)
                    return False  # then answers normally, too late for the client
                if mode == "error":
                    self._send(500, {"error": {"status": 500, "message": "Server error"}})
                elif mode == "rate_limited":
                    self._send(429, {"error": {"status": 429, "message": "API rate limit exceeded"}},
                               {"Retry-After": "30"})
                elif mode == "unauthorized":
                    self._send(401, {"error": {"status": 401, "message": "Invalid access token"}})
                elif mode == "bad_json":
                    self._send(200, b'{"tracks": {"items": [')
                else:
                    return False
                return True

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {ACCESS_TOKEN}":
                    return True
                self._send(401, {"error": {"status": 401, "message": "No token provided"}})
                return False

            def do_POST(self):
                request = self._record()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                if request.path != "/api/token":
                    return self._send(404, {"error": {"status": 404, "message": "Service not found"}})
                if self._fault(stub.modes["token"]):
                    return None
                expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != expected or "grant_type=client_credentials" not in body:
                    return self._send(400, {"error": "invalid_client", "error_description": "Invalid client"})
                return self._send(200, {"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600})

            def do_GET(self):
                request = self._record()
                parts = request.path.strip("/").split("/")
                if parts == ["v1", "search"]:
                    return self._search(request)
                if len(parts) == 3 and parts[:2] == ["v1", "tracks"]:
                    return self._track(unquote(parts[2]))
                return self._send(404, {"error": {"status": 404, "message": "Service not found"}})

            def _search(self, request):
                if self._fault(stub.modes["search"]) or not self._authorized():
                    return None
                limit = int(request.query.get("limit", "20"))
                if limit > 10 or limit < 1:
                    return self._send(400, {"error": {"status": 400, "message": "Invalid limit"}})
                words = request.query.get("q", "").casefold().split()
                items = [
                    track for track in stub.tracks.values()
                    if words and all(
                        word in f"{track['name']} {track['artists'][0]['name']} {track['album']['name']}".casefold()
                        for word in words
                    )
                ][:limit]
                return self._send(200, {"tracks": {"items": items, "limit": limit, "offset": 0,
                                                   "total": len(items), "next": None, "previous": None}})

            def _track(self, track_id):
                with stub._lock:
                    stub.in_flight += 1
                    stub.max_in_flight = max(stub.max_in_flight, stub.in_flight)
                try:
                    self._answer_track(track_id)
                finally:
                    with stub._lock:
                        stub.in_flight -= 1

            def _answer_track(self, track_id):
                if self._fault(stub.modes["track"]) or not self._authorized():
                    return None
                if stub.track_latency:
                    stub._release.wait(stub.track_latency)
                track = stub.tracks.get(track_id)
                if track is None:
                    return self._send(404, {"error": {"status": 404, "message": "Resource not found"}})
                return self._send(200, track)

        return Handler

    def wait_until(self, predicate, timeout: float = 2.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()
