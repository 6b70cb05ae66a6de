"""gunicorn as gunicorn.conf.py runs it: workers and threads from the environment, the mood model
loaded in every worker before it serves, JSON access lines with the request id and the duration,
and a request that runs past GUNICORN_TIMEOUT cut by replacing its worker (the threaded worker's
own timeout is only a heartbeat)."""

from __future__ import annotations

import json
import socket
import time
import urllib.request

import pytest

from tests.servers import child_env, free_port, gunicorn_server, http_ok, wait_until
from tests.vexora.support import REAL_KEY, manage

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = child_env(SECRET_KEY=REAL_KEY, DATABASE_URL=database, REDIS_URL=None, CELERY_BROKER_URL=None,
                    ALLOWED_HOSTS="127.0.0.1", WEB_CONCURRENCY="2", GUNICORN_THREADS="2", GUNICORN_TIMEOUT="3",
                    TORCH_THREADS="1", LOG_FORMAT="json")
    migrated = manage("migrate", "--noinput", env={k: env.get(k) for k in ("SECRET_KEY", "DATABASE_URL")},
                      timeout=180)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    port = free_port()
    web = gunicorn_server(env=env, log=tmp_path / "gunicorn.log", port=port)
    try:
        wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), timeout=180, what="gunicorn")
        wait_until(lambda: _lines(web, "mood model loaded") and len(_lines(web, "mood model loaded")) == 2,
                   timeout=180, what="the model in both workers")
        yield web, port
    finally:
        web.stop()


def _entries(web) -> list[dict]:
    found = []
    for line in web.log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


def _lines(web, message: str) -> list[dict]:
    return [entry for entry in _entries(web) if entry.get("message", "").startswith(message)]


def test_workers_load_the_model_then_log_each_request_as_json(server):
    web, port = server
    booted = _lines(web, "Booting worker")
    assert len(booted) == 2
    assert len({entry["process"] for entry in _lines(web, "mood model loaded")}) == 2

    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "probe-7"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["X-Request-ID"] == "probe-7"

    access = wait_until(lambda: [e for e in _entries(web) if e.get("event") == "access" and
                                 e.get("request_id") == "probe-7"], timeout=10, what="the access line")
    assert access[0]["path"] == "/healthz" and access[0]["status"] == 200 and access[0]["method"] == "GET"
    assert isinstance(access[0]["duration_ms"], float) and access[0]["duration_ms"] > 0


def test_a_request_past_the_timeout_is_cut_and_its_worker_replaced(server):
    web, port = server
    stalled = socket.create_connection(("127.0.0.1", port))
    # A body that never finishes: the request holds a thread of a worker, reading.
    stalled.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100\r\n\r\n{\"user")
    stalled.settimeout(30)
    started = time.monotonic()
    try:
        answer = stalled.recv(1000)  # b"": the worker holding it is gone
    finally:
        stalled.close()
    seconds = time.monotonic() - started

    assert answer == b""
    assert 3 <= seconds < 12  # GUNICORN_TIMEOUT=3: cut after 3 to 6 s (plus a loaded machine's slack)
    assert _lines(web, "request POST /api/v1/login has run")
    assert _lines(web, "aborted while serving POST /api/v1/login")
    wait_until(lambda: len(_lines(web, "Booting worker")) == 3, timeout=30, what="the replacement worker")
    assert http_ok(f"http://127.0.0.1:{port}/healthz")


def _healthz_count(port: int) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (sample.name == "django_http_requests_latency_seconds_by_view_method_count"
                    and sample.labels == {"view": "healthz", "method": "GET"}):
                return sample.value
    return 0.0


def test_metrics_add_up_every_worker_of_the_server(server):
    web, port = server
    before = _healthz_count(port)
    for _ in range(30):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200

    assert _healthz_count(port) == before + 30  # whichever worker answers the scrape
