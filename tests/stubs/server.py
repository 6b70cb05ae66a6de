"""The lifecycle every local stub server shares: a ThreadingHTTPServer on a free 127.0.0.1 port,
served from a daemon thread, recording requests under a lock, and closable so that clients then
get 'connection refused'."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubHandler(BaseHTTPRequestHandler):
    """What every stub's request handler shares: HTTP/1.1 keep-alive, quiet logs, reading the body
    and answering JSON (or raw bytes). Subclasses set ``stub`` (the LocalHTTPStub they serve)."""

    protocol_version = "HTTP/1.1"
    stub = None

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send_json(self, status: int, body=None, *, headers: dict | None = None,
                  content_type: str = "application/json") -> None:
        """``body``: bytes as they are, None for no body, anything else as JSON. A client that gave
        up meanwhile (a timeout) is no error."""
        raw = body if isinstance(body, bytes) else (b"" if body is None else json.dumps(body).encode())
        try:
            self.send_response(status)
            if raw or status != 204:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if raw:
                self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass


class LocalHTTPStub:
    """Subclasses provide ``_handler_class()`` (a BaseHTTPRequestHandler bound to the stub)."""

    def __init__(self, *, name: str):
        self.requests: list = []
        self._lock = threading.Lock()
        self._release = threading.Event()  # lets slow/hanging handlers go at shutdown
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=name, daemon=True)
        self._closed = False

    def _handler_class(self):
        raise NotImplementedError

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop answering: the port is released, so clients get 'connection refused'."""
        if self._closed:
            return
        self._closed = True
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
