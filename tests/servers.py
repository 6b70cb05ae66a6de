"""Real servers the multi-process tests start on 127.0.0.1: a private Redis, Celery workers and
gunicorn processes running the project (each a child process with its own environment).

Fixtures: ``private_redis`` (a redis-server of the test's own, memory only; skipped without the
binary). Helpers: ``redis_server`` (the same for longer-lived uses), ``celery_worker`` and
``gunicorn_server`` (``Child`` processes).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, what: str, interval: float = 0.2):
    """Call ``check`` until it returns something truthy (exceptions count as not yet)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(interval)
    raise AssertionError(f"{what} not ready within {timeout:.0f} s (last error: {last!r})")


def child_env(**changes: str | None) -> dict[str, str]:
    """The test process's environment for a project child process: no .env file, no pytest-django
    settings, with ``changes`` applied (None removes a variable)."""
    env = {**os.environ, "ENV_FILE": "/nonexistent/.env", "PYTHONDONTWRITEBYTECODE": "1"}
    for inherited in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(inherited, None)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@dataclass
class Child:
    """A child process whose output goes to a log file (read it when an assertion fails)."""

    process: subprocess.Popen
    log: Path
    name: str

    @classmethod
    def start(cls, command: list[str], *, env: dict, log: Path, name: str) -> "Child":
        handle = log.open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        handle.close()
        return cls(process, log, name)

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:]

    def kill(self) -> None:
        """SIGKILL, no chance to finish anything (a machine that dies)."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def celery_worker(*, env: dict, log: Path, queues: str = "celery,inference", concurrency: int = 1,
                  name: str = "worker") -> Child:
    command = [sys.executable, "-m", "celery", "-A", "vexora", "worker", "-Q", queues, "-c", str(concurrency),
               "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
               "-n", f"{name}-{os.getpid()}-{free_port()}@%h"]
    return Child.start(command, env=env, log=log, name=name)


def gunicorn_server(*, env: dict, log: Path, port: int, name: str = "web") -> Child:
    """gunicorn with the project's gunicorn.conf.py, bound to 127.0.0.1:``port``."""
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "vexora.wsgi:application"]
    return Child.start(command, env=env, log=log, name=name)


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


@contextlib.contextmanager
def redis_server(directory: Path):
    """A redis-server of the caller's alone on a free port (no persistence): yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = Child.start([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                          "--dir", str(directory)], env=dict(os.environ), log=directory / "redis.log", name="redis")
    url = f"redis://127.0.0.1:{port}"

    def pong():
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()

    try:
        wait_until(pong, timeout=20, what="redis-server")
        yield url
    finally:
        server.stop()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test alone: ``redis://127.0.0.1:PORT``."""
    with redis_server(tmp_path) as url:
        yield url
