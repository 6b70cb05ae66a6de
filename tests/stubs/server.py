"""The lifecycle every local stub server shares: a ThreadingHTTPServer on a free 127.0.0.1 port,
served from a daemon thread, recording requests under a lock, and closable so that clients then
get 'connection refused'."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


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
