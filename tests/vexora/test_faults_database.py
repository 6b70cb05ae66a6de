"""A hung database is not a hung server: with PostgreSQL accepting connections but never
answering, requests fail within seconds with a 503 envelope (connect timeout) while the liveness
probe /healthz still answers 200; /readyz never says "ready" on a database without our tables."""

import json
import socket
import threading
import time

import pytest

from tests.vexora.support import REAL_KEY, shell

PROBE = """
import json, time
from django.test import Client
client = Client()
answers = {}
for name, call in (
    ("healthz", lambda: client.get("/healthz")),
    ("readyz", lambda: client.get("/readyz")),
    ("login", lambda: client.post("/api/v1/login", {"username": "a", "password": "b"}, content_type="application/json")),
    ("page", lambda: client.post("/login/", {"identifier": "a", "password": "b"})),
):
    started = time.monotonic()
    response = call()
    answers[name] = {"status": response.status_code, "seconds": time.monotonic() - started,
                     "type": response["Content-Type"], "body": response.content.decode()[:300]}
print("ANSWERS" + json.dumps(answers))
"""


@pytest.fixture
def silent_database():
    """A TCP server that accepts connections and never says a word (a hung PostgreSQL)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for connection in held:
        connection.close()
    server.close()


def _answers(result) -> dict:
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("ANSWERS")]
    return json.loads(line[len("ANSWERS"):])


def _env(database_url: str) -> dict:
    return {"SECRET_KEY": REAL_KEY, "DEBUG": "false", "DATABASE_URL": database_url, "REDIS_URL": None,
            "ALLOWED_HOSTS": "testserver", "DB_CONNECT_TIMEOUT": "2"}


def test_a_hung_database_fails_requests_within_seconds_with_a_503(silent_database):
    started = time.monotonic()
    answers = _answers(shell(PROBE, env=_env(f"postgres://vexora@127.0.0.1:{silent_database}/vexora"),
                             timeout=120))

    assert time.monotonic() - started < 90
    alive = answers.pop("healthz")
    assert alive["status"] == 200 and alive["seconds"] < 5  # the process is up: nothing to restart
    for name, answer in answers.items():
        assert answer["status"] == 503, (name, answer)
        assert answer["seconds"] < 15, (name, answer)
    assert json.loads(answers["readyz"]["body"])["data"]["database"] == "error"
    login = json.loads(answers["login"]["body"])
    assert login["success"] is False and "database" in login["message"]


def test_readyz_is_not_ready_on_a_database_without_our_tables(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    answers = _answers(shell(PROBE, env=_env(f"sqlite:///{empty}")))

    ready = json.loads(answers["readyz"]["body"])
    assert answers["readyz"]["status"] == 503
    assert ready["data"]["database"] == "schema missing"
    assert ready["message"].startswith("not ready: database")
