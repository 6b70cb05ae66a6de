"""Two gunicorn servers (gunicorn.conf.py) on two ports and a Celery worker, sharing one database and
one Redis, prove that no state lives in a web process: requests alternate between the servers, and
whatever one server did the other knows (accounts, one-time codes, revoked tokens, throttles,
history); a server restarted keeps nothing and loses nothing; mail goes through the queue, and a
worker killed in the middle of sending loses no mail (tasks are acknowledged late).

On the real PostgreSQL and Redis when DATABASE_URL and REDIS_URL point at them (CI): the servers
use the test database this test run made, the cache at REDIS_URL and the broker on the same Redis
server, one database number below. Elsewhere: a migrated SQLite file and a private redis-server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import requests

from tests.moods.conftest import ASTRONAUT
from tests.servers import (
    Child,
    celery_worker,
    child_env,
    free_port,
    gunicorn_server,
    redis_server,
    wait_until,
)
from tests.stubs.smtp import SMTPStub
from tests.vexora.support import REAL_KEY, shell

pytestmark = pytest.mark.slow
PASSWORD = "Cluster-Test-Pass-2026"
CODE = re.compile(r"is: (\d{6})")


class GatedSMTPStub(SMTPStub):
    """The SMTP stub, able to hold every client at MAIL FROM (a mail server that hangs) until released."""

    def __init__(self):
        super().__init__()
        self.hold = False
        self.held = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.hold:
            self.held += 1
            while self.hold:
                await asyncio.sleep(0.05)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    def codes_for(self, email: str) -> list[str]:
        return [CODE.search(mail.text).group(1) for mail in list(self.messages) if email in mail.rcpt_tos]


@dataclass
class Cluster:
    env: dict
    ports: list[int]
    servers: list[Child]
    worker: Child
    smtp: GatedSMTPStub
    logs: Path
    redis_url: str
    broker_url: str
    calls: int = 0
    served: dict = field(default_factory=lambda: {})

    def url(self, index: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[index]}/api/v1/{path}"

    def call(self, method: str, path: str, *, server: int | None = None, token: str | None = None, **kwargs):
        """One API request, to the server ``server`` or else to the next one in turn."""
        if server is None:
            server = self.calls % len(self.ports)
            self.calls += 1
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = requests.request(method, self.url(server, path), headers=headers, timeout=60, **kwargs)
        self.served[server] = self.served.get(server, 0) + 1
        return response

    def start_server(self, index: int) -> Child:
        server = gunicorn_server(env=self.env, log=self.logs / f"web{index}.log", port=self.ports[index],
                                 name=f"web{index}")
        self.servers[index] = server
        wait_until(lambda: _ready(self.ports[index]), timeout=120, what=f"web server {index}")
        return server

    def start_worker(self, queues: str) -> Child:
        self.worker = celery_worker(env=self.env, log=self.logs / f"worker-{queues}-{time.monotonic_ns()}.log",
                                    queues=queues)
        return self.worker


def _ready(port: int) -> bool:
    return requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200


def _database_url(tmp: Path, django_db_blocker) -> str:
    """The database the servers share: this run's PostgreSQL test database, or a migrated SQLite file."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
        if db["ENGINE"] == "django.db.backends.postgresql":
            auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
            return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    url = f"sqlite:///{tmp / 'cluster.sqlite3'}"
    migrated = shell("from django.core.management import call_command; call_command('migrate', verbosity=0)",
                     env={"SECRET_KEY": REAL_KEY, "DATABASE_URL": url}, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    return url


def _redis_urls(stack: contextlib.ExitStack, directory: Path) -> tuple[str, str]:
    """(cache, broker): REDIS_URL and the database number below it on the same server, or a private
    redis-server's databases 0 and 1."""
    configured = os.environ.get("REDIS_URL", "")
    if configured:
        parts = urlsplit(configured)
        number = int(parts.path.strip("/") or 0)
        broker = parts._replace(path=f"/{number - 1 if number > 0 else 1}").geturl()
        return configured, broker
    private = stack.enter_context(redis_server(directory))
    return f"{private}/0", f"{private}/1"


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


SEED = """
from tests.history.factories import catalog_tracks
catalog_tracks(40)
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, django_db_setup, django_db_blocker):
    with contextlib.ExitStack() as stack:
        yield from _cluster(stack, tmp_path_factory.mktemp("cluster"), django_db_blocker)


def _cluster(stack, tmp, django_db_blocker):
    database = _database_url(tmp, django_db_blocker)
    cache_url, broker_url = _redis_urls(stack, tmp)
    _flush(broker_url)
    smtp = GatedSMTPStub().start()
    env = child_env(
        SECRET_KEY=REAL_KEY, DATABASE_URL=database, REDIS_URL=cache_url, CELERY_BROKER_URL=broker_url,
        MOOD_INFERENCE="worker", MOOD_INFERENCE_TIMEOUT="30", ALLOWED_HOSTS="127.0.0.1",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}", EMAIL_TIMEOUT="30", OTP_RESEND_SECONDS="0",
        THROTTLE_LOGIN="4/min", THROTTLE_REGISTER="100/min", THROTTLE_OTP_SEND="100/min",
        THROTTLE_OTP_VERIFY="100/min", NUM_PROXIES="1", WEB_CONCURRENCY="1", GUNICORN_THREADS="4",
        TORCH_THREADS="1", OMP_WAIT_POLICY="PASSIVE", CACHE_KEY_PREFIX=f"cluster{os.getpid()}",
        CELERY_VISIBILITY_TIMEOUT="5", CELERY_UNACKED_RESTORE_INTERVAL="1", CELERY_UNACKED_RESTORE_THROTTLE="1",
    )
    seeded = shell(SEED, env={key: env.get(key) for key in ("SECRET_KEY", "DATABASE_URL")}, timeout=120)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    ports = [free_port(), free_port()]
    group = Cluster(env=env, ports=ports, servers=[None, None], worker=None, smtp=smtp, logs=tmp,
                    redis_url=cache_url, broker_url=broker_url)
    try:
        group.start_worker("celery,inference")
        group.servers = [gunicorn_server(env=env, log=tmp / f"web{i}.log", port=port, name=f"web{i}")
                         for i, port in enumerate(ports)]
        for port in ports:
            wait_until(lambda port=port: _ready(port), timeout=120, what=f"the web server on {port}")
        wait_until(lambda: "mood model loaded for inference" in group.worker.output(), timeout=120,
                   what="the inference worker's model")
        yield group
    finally:
        for child in [*group.servers, group.worker]:
            if child is not None:
                child.stop()
        smtp.close()
        _flush(broker_url)
        with django_db_blocker.unblock():
            from django.core.management import call_command
            from django.db import connection

            if connection.vendor == "postgresql":  # leave the shared test database as the other tests expect it
                call_command("flush", interactive=False, verbosity=0)


def _register(cluster: Cluster, name: str) -> tuple[str, str]:
    """A verified account made through the two servers in turn: (email, username)."""
    email, username = f"{name}@example.com", name
    registered = cluster.call("POST", "register", json={"name": name.title(), "email": email, "username": username,
                                                        "password": PASSWORD})
    assert registered.status_code == 200, registered.text
    [code] = cluster.smtp.codes_for(email)
    verified = cluster.call("POST", "verify-email", json={"email": email, "otp": code})
    assert verified.status_code == 200, verified.text
    return email, username


def _login(cluster: Cluster, username: str, password: str = PASSWORD, **kwargs) -> dict:
    response = cluster.call("POST", "login", json={"username": username, "password": password}, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_an_account_made_on_one_server_is_known_to_the_other_and_a_revocation_counts_on_both(cluster):
    email, username = _register(cluster, "ada")  # register on one server, verify the code on the other
    tokens = _login(cluster, username)

    for server in (0, 1):
        me = cluster.call("GET", "user", server=server, token=tokens["access_token"])
        assert me.status_code == 200 and me.json()["data"]["email"] == email
    logout = cluster.call("POST", "logout", server=1, token=tokens["access_token"],
                          json={"refresh_token": tokens["refresh_token"]})
    assert logout.status_code == 200, logout.text

    refused = cluster.call("GET", "user", server=0, token=tokens["access_token"])
    assert refused.status_code == 401 and refused.json()["message"] == "token has been revoked"
    again = cluster.call("POST", "refresh", server=0, json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    assert cluster.served[0] >= 3 and cluster.served[1] >= 3


def test_throttles_count_across_servers(cluster):
    client = {"X-Forwarded-For": "198.51.100.7"}  # one client, as the proxy names it (NUM_PROXIES=1)
    statuses = [cluster.call("POST", "login", headers=dict(client), json={"username": "nobody", "password": "x"})
                .status_code for _ in range(5)]

    assert statuses == [401, 401, 401, 401, 429]  # THROTTLE_LOGIN=4/min, counted in Redis


def test_a_code_sent_through_the_queue_arrives_and_works_on_the_other_server(cluster):
    email, username = _register(cluster, "grace")
    sent = cluster.call("POST", "send-otp", server=0, json={"email": email})
    assert sent.status_code == 200, sent.text

    codes = wait_until(lambda: cluster.smtp.codes_for(email)[1:], timeout=30, what="the reset code")
    reset = cluster.call("POST", "reset-password", server=1,
                         json={"email": email, "otp": codes[0], "new_password": "Another-Pass-2026"})

    assert reset.status_code == 200, reset.text
    assert _login(cluster, username, "Another-Pass-2026", headers={"X-Forwarded-For": "198.51.100.20"})
    assert "otp_deliver" in cluster.worker.output()


def test_a_selfie_read_by_the_inference_worker_is_in_the_history_on_both_servers(cluster):
    _, username = _register(cluster, "hedy")
    token = _login(cluster, username, headers={"X-Forwarded-For": "198.51.100.30"})["access_token"]

    with ASTRONAUT.open("rb") as selfie:
        detected = cluster.call("POST", "mood-detection", server=0, token=token,
                                files={"image": ("me.jpg", selfie, "image/jpeg")})
    assert detected.status_code == 200, detected.text
    entry = detected.json()["data"]["history_uuid"]

    listed = cluster.call("GET", "history", server=1, token=token).json()
    assert [item["uuid"] for item in listed["data"]] == [entry]
    assert cluster.call("GET", f"history/{entry}", server=1, token=token).status_code == 200
    assert "moods.tasks.inference_run" in cluster.worker.output()


def test_a_restarted_server_keeps_nothing_and_loses_nothing(cluster):
    email, username = _register(cluster, "katherine")
    kept = _login(cluster, username, headers={"X-Forwarded-For": "198.51.100.40"})
    ended = _login(cluster, username, headers={"X-Forwarded-For": "198.51.100.40"})
    assert cluster.call("POST", "logout", server=0, token=ended["access_token"],
                        json={"refresh_token": ended["refresh_token"]}).status_code == 200

    cluster.servers[0].stop()
    cluster.start_server(0)

    assert cluster.call("GET", "user", server=0, token=kept["access_token"]).status_code == 200
    assert cluster.call("GET", "user", server=0, token=ended["access_token"]).status_code == 401
    refreshed = cluster.call("POST", "refresh", server=0, json={"refresh_token": kept["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text


def test_a_worker_killed_while_sending_loses_no_mail(cluster):
    email, _ = _register(cluster, "margaret")
    cluster.smtp.hold = True
    try:
        assert cluster.call("POST", "send-otp", server=1, json={"email": email}).status_code == 200
        wait_until(lambda: cluster.smtp.held >= 1, timeout=30, what="the worker talking to the mail server")
        cluster.worker.kill()  # kill -9: the task was taken but never acknowledged
    finally:
        cluster.smtp.hold = False
    assert len(cluster.smtp.codes_for(email)) == 1  # only the registration's code so far

    cluster.start_worker("celery")
    codes = wait_until(lambda: cluster.smtp.codes_for(email)[1:], timeout=60, what="the mail after the restart")

    assert len(codes) == 1
    reset = cluster.call("POST", "reset-password", server=0,
                         json={"email": email, "otp": codes[0], "new_password": "Third-Pass-2026"})
    assert reset.status_code == 200, reset.text
