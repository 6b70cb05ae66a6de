"""Throughput and latency of the main endpoints against a running server.

    python manage.py bench_api --url http://127.0.0.1:8000              # a server already running
    python manage.py bench_api --start-server --inference inline        # gunicorn started here
    python manage.py bench_api --start-server --endpoints history,health --connections 32 --duration 15

For each endpoint: ``--connections`` keep-alive connections send requests back to back for
``--duration`` seconds (after a 2-second warm-up); prints requests per second, the median (p50)
and 99th percentile (p99) latency, and the answers that were not 2xx. The load comes from
``--clients`` processes of this machine, which share its cores with the server.

Endpoints: ``health`` (GET /healthz, the bare Django JSON view), ``history`` (GET /api/v1/history
of a user with ``--history`` entries), ``login`` (POST /api/v1/login: one password hash each),
``mood-detection`` (POST /api/v1/mood-detection with the test portrait).

The bench user (``bench-api``) is written to the configured database, which must be the server's.
A server started elsewhere must not throttle the load: run it with THROTTLE_LOGIN, THROTTLE_USER,
THROTTLE_ANON and THROTTLE_MOOD_DETECT at e.g. ``1000000/min``. ``--start-server`` does that itself:
gunicorn with gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_THREADS from the environment) on this
process's database and Redis, plus an inference worker with ``--inference worker``.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ENDPOINTS = ("health", "history", "login", "mood-detection")
USERNAME = "bench-api"
PASSWORD = "bench-api-Password-2026"
SELFIE = Path(settings.BASE_DIR) / "tests" / "moods" / "data" / "astronaut.jpg"
UNTHROTTLED = {name: "1000000/min" for name in ("THROTTLE_LOGIN", "THROTTLE_USER", "THROTTLE_ANON",
                                                 "THROTTLE_MOOD_DETECT")}


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _request_for(endpoint: str, token: str) -> tuple[str, str, bytes | None, dict]:
    if endpoint == "health":
        return "GET", "/healthz", None, {}
    if endpoint == "history":
        return "GET", "/api/v1/history", None, {"Authorization": f"Bearer {token}"}
    if endpoint == "login":
        body = json.dumps({"username": USERNAME, "password": PASSWORD}).encode()
        return "POST", "/api/v1/login", body, {"Content-Type": "application/json"}
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"me.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + SELFIE.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return "POST", "/api/v1/mood-detection", body, {"Authorization": f"Bearer {token}",
                                                    "Content-Type": f"multipart/form-data; boundary={boundary}"}


def _load(args) -> list[tuple[float, float, int]]:
    """One client process: ``threads`` keep-alive connections, each sending back to back until
    ``stop``; returns (finished at, seconds, status) per request."""
    url, request, threads, stop = args
    parts = urllib.parse.urlsplit(url)
    method, path, body, headers = request
    found: list[tuple[float, float, int]] = []
    lock = threading.Lock()

    def connection_loop():
        mine = []
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        while time.time() < stop:
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
                status = 0
            mine.append((time.time(), time.perf_counter() - started, status))
        connection.close()
        with lock:
            found.extend(mine)

    workers = [threading.Thread(target=connection_loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return found


class Command(BaseCommand):
    help = "Requests per second, p50 and p99 of the main endpoints against a running server."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (default http://127.0.0.1:8000)")
        parser.add_argument("--start-server", action="store_true", help="start gunicorn (and a worker) here")
        parser.add_argument("--inference", choices=("inline", "worker"), default="inline",
                            help="with --start-server: where the mood model runs (default inline)")
        parser.add_argument("--endpoints", default=",".join(ENDPOINTS), help=f"comma-separated: {', '.join(ENDPOINTS)}")
        parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
        parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (default 10)")
        parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
        parser.add_argument("--history", type=int, default=1000, help="the bench user's history size (default 1000)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")

    def handle(self, *args, **opts):
        endpoints = [name.strip() for name in opts["endpoints"].split(",") if name.strip()]
        unknown = set(endpoints) - set(ENDPOINTS)
        if unknown or not endpoints:
            raise CommandError(f"--endpoints: choose from {', '.join(ENDPOINTS)}")
        if opts["connections"] < 1 or opts["clients"] < 1 or opts["duration"] <= 0:
            raise CommandError("--connections, --clients and --duration must be positive")
        self._seed(opts["history"])
        children = self._start(opts) if opts["start_server"] else []
        url = opts["url"] if not opts["start_server"] else self._url
        try:
            token = self._token(url)
            results = {}
            for name in endpoints:
                self._first_answer(url, name, token)
                results[name] = self._run(url, name, token, opts)
        finally:
            for child in reversed(children):
                child.terminate()
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        report = {"url": url, "connections": opts["connections"], "duration_s": opts["duration"],
                  "clients": opts["clients"], "cpu_count": os.cpu_count(), "load_average": os.getloadavg()[0],
                  "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                  "cache": "redis" if settings.REDIS_URL else "local memory", "results": results}
        if opts["start_server"]:
            report |= {"web_concurrency": self._workers, "threads": self._threads, "inference": opts["inference"]}
        if opts["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        out = self.stdout.write
        out(f"{url}: {opts['connections']} connections, {opts['duration']:g} s per endpoint, "
            f"{report['database']} + {report['cache']}, {report['cpu_count']} CPUs (load average "
            f"{report['load_average']:.1f} at the end)")
        out(f"{'endpoint':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'requests':>10}{'not 2xx':>9}")
        for name, row in results.items():
            out(f"{name:<16}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['requests']:>10}"
                f"{row['not_2xx']:>9}")

    # --- the load --------------------------------------------------------------------------------
    def _run(self, url: str, endpoint: str, token: str, opts) -> dict:
        request = _request_for(endpoint, token)
        clients = min(opts["clients"], opts["connections"])
        threads = [opts["connections"] // clients + (i < opts["connections"] % clients) for i in range(clients)]
        start = time.time() + 0.5
        measure_from = start + 2.0  # warm-up
        stop = measure_from + opts["duration"]
        context = multiprocessing.get_context("spawn")
        with context.Pool(clients) as pool:
            parts = pool.map(_load, [(url, request, count, stop) for count in threads])
        samples = [sample for part in parts for sample in part if sample[0] >= measure_from]
        if not samples:
            raise CommandError(f"{endpoint}: no answer at all from {url}")
        seconds = sorted(sample[1] for sample in samples)
        return {"rps": round(len(samples) / opts["duration"], 1), "requests": len(samples),
                "p50_ms": round(statistics.median(seconds) * 1000, 1),
                "p99_ms": round(_percentile(seconds, 0.99) * 1000, 1),
                "not_2xx": sum(1 for sample in samples if not 200 <= sample[2] < 300)}

    def _token(self, url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        connection.request("POST", "/api/v1/login", body=json.dumps({"username": USERNAME, "password": PASSWORD}),
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise CommandError(f"could not log the bench user in at {url}: {response.status} {body[:200]!r}")
        return json.loads(body)["data"]["access_token"]

    # --- the bench user --------------------------------------------------------------------------
    def _seed(self, entries: int) -> None:
        from vexora.benchdata import bench_user_seed

        bench_user_seed(username=USERNAME, password=PASSWORD, entries=entries, playlists=0)

    # --- the server ------------------------------------------------------------------------------
    def _start(self, opts) -> list[subprocess.Popen]:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self._url = f"http://127.0.0.1:{port}"
        self._workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
        self._threads = int(os.environ.get("GUNICORN_THREADS") or 4)
        env = {**os.environ, **UNTHROTTLED, "GUNICORN_BIND": f"127.0.0.1:{port}", "MOOD_INFERENCE": opts["inference"],
               "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", "GUNICORN_LOG_LEVEL": "warning"}
        children = []
        if opts["inference"] == "worker":
            if not settings.CELERY_BROKER_URL:
                raise CommandError("--inference worker needs CELERY_BROKER_URL (a Redis) in the environment")
            children.append(subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "vexora", "worker", "-Q", settings.MOOD_INFERENCE_QUEUE,
                 "--concurrency", os.environ.get("WORKER_CONCURRENCY", "2"), "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--loglevel", "WARNING"], cwd=settings.BASE_DIR, env=env,
                stdout=subprocess.DEVNULL))
        gunicorn = Path(sys.executable).parent / "gunicorn"
        children.append(subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "vexora.wsgi:application"],
                                         cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL))
        try:
            self._wait_ready(port, children)
        except BaseException:
            for child in children:
                child.kill()
                child.wait()
            raise
        return children

    @staticmethod
    def _wait_ready(port: int, children: list[subprocess.Popen]) -> None:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if any(child.poll() is not None for child in children):
                raise CommandError("the server or its worker exited while starting")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/readyz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError("the server was not ready (/readyz) within 180 s")

    def _first_answer(self, url: str, endpoint: str, token: str) -> None:
        """Wait until the endpoint answers 2xx once (an inference worker may still be loading its model)."""
        method, path, body, headers = _request_for(endpoint, token)
        parts = urllib.parse.urlsplit(url)
        deadline = time.monotonic() + 180
        status, text = 0, b""
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                status, text = response.status, response.read()
            except OSError as exc:
                status, text = 0, str(exc).encode()
            finally:
                connection.close()
            if 200 <= status < 300:
                return
            time.sleep(1)
        raise CommandError(f"{endpoint}: no 2xx answer within 180 s (last: {status} {text[:200]!r})")
