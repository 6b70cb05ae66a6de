"""What gunicorn.conf.py plugs into gunicorn: a threaded worker whose ``timeout`` bounds requests,
and an access log of JSON lines with the request id and the duration.

Why a worker class: with gunicorn's threaded worker (gthread), ``timeout`` is only a heartbeat. The
worker's main thread keeps telling the arbiter it is alive while a request thread is stuck, so a
request is never cut, whatever ``timeout`` says. ``DeadlineThreadWorker`` stops the heartbeat as
soon as one of its requests has run longer than ``timeout``: the arbiter, by the same check that
replaces a silent sync worker, aborts it within another ``timeout`` and starts a fresh one (the
stuck requests are logged by ``worker_abort`` in gunicorn.conf.py). A request therefore runs at
most about twice ``timeout``. The requests that worker was serving on its other threads
are cut too, so ``timeout`` is a last resort well above what any request should take: everything a
request waits for has its own, shorter limit (see docs/scaling.md, "What bounds a request").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time

from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker

from vexora.logs import JsonFormatter


class DeadlineThreadWorker(ThreadWorker):
    def init_process(self):
        self._running: dict[int, tuple[float, str]] = {}  # thread -> (started, "METHOD /path")
        self._running_lock = threading.Lock()
        self._overdue_reported = False
        super().init_process()

    def handle_request(self, req, conn):
        thread = threading.get_ident()
        with self._running_lock:
            self._running[thread] = (time.monotonic(), f"{req.method} {req.path}")
        try:
            return super().handle_request(req, conn)
        finally:
            with self._running_lock:
                self._running.pop(thread, None)

    def overdue(self) -> list[tuple[str, float]]:
        """The requests running longer than the configured ``timeout``: ("METHOD /path", seconds).
        (``self.timeout`` is half of it: the heartbeat interval the arbiter gives its workers.)"""
        now = time.monotonic()
        with self._running_lock:
            running = list(self._running.values())
        return [(what, now - started) for started, what in running if now - started > self.cfg.timeout]

    def notify(self):
        late = self.overdue()
        if not late:
            super().notify()
            return
        if not self._overdue_reported:
            self._overdue_reported = True
            what, seconds = max(late, key=lambda item: item[1])
            self.log.error("request %s has run %.0f s, past the %d s timeout: this worker stops its heartbeat "
                           "and will be replaced", what, seconds, self.cfg.timeout)


class JsonLogger(Logger):
    """gunicorn's logger with JSON lines: its own messages through vexora.logs.JsonFormatter, and
    one access line per request with the request id (the answer's X-Request-ID) and the duration."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        self._json = JsonFormatter()

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = dict((name.lower(), value) for name, value in (resp.headers or []))
        entry = {
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
            "event": "access",
            "request_id": headers.get("x-request-id") or environ.get("HTTP_X_REQUEST_ID", ""),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "remote": environ.get("REMOTE_ADDR"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "process": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:  # never let logging break a request
            self.error("could not write the access log line")
