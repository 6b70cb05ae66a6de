"""What running the model on an inference worker adds to a mood detection, in one run.

    python manage.py bench_inference                                   # redis://127.0.0.1:6379/7
    python manage.py bench_inference --redis redis://127.0.0.1:6379/7 --runs 50 --json

Starts a Celery worker of its own (``-Q inference``, one process, the model loaded at start) on the
given Redis (broker and transit store alike), then times, alternately on the same 640x480 photo
(bench_mood's canvas, as a decoded picture the way mood_detect passes it): ``detect`` in this
process (MOOD_INFERENCE=inline) and the round trip through the queue (MOOD_INFERENCE=worker).
Both sides run torch with ``--threads`` threads. Leaves no key behind and stops its worker.
"""

from __future__ import annotations

import functools
import os
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ._mood_common import print_json
from .bench_mood import CANVAS, DEFAULT_IMAGE

WORKER_START_SECONDS = 180


def _ms(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(values) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "min_ms": round(ordered[0] * 1000, 2)}


class Command(BaseCommand):
    help = "Median and p95 of a mood detection inline and through an inference worker (which it starts)."

    def add_arguments(self, parser):
        parser.add_argument("--redis", default="redis://127.0.0.1:6379/7",
                            help="Redis for the broker and the transit store (default redis://127.0.0.1:6379/7)")
        parser.add_argument("--runs", type=int, default=30, help="timed detections per side (default 30)")
        parser.add_argument("--threads", type=int, default=1, help="torch threads on each side (default 1)")
        parser.add_argument("--timeout", type=float, default=10.0, help="the inference deadline in seconds")
        parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")

    def handle(self, *args, **opts):
        import redis
        import torch
        from PIL import Image

        from moods import inference
        from vexora.celery import app

        if opts["runs"] < 1 or opts["threads"] < 1:
            raise CommandError("--runs and --threads must be at least 1")
        url, timeout = opts["redis"], opts["timeout"]
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            raise CommandError(f"--redis {url}: {exc}") from None

        with Image.open(DEFAULT_IMAGE) as src:
            photo = src.convert("RGB")
        side = min(CANVAS)
        canvas = Image.new("RGB", CANVAS, (128, 128, 128))
        canvas.paste(photo.resize((side, side), Image.Resampling.LANCZOS), ((CANVAS[0] - side) // 2, 0))

        # This process publishes to that broker (whatever CELERY_BROKER_URL says) through a producer of
        # its own, never eagerly; the configuration is put back afterwards (the command may run inside
        # another program).
        eager_before = app.conf.task_always_eager
        app.conf.task_always_eager = False
        connection = app.connection_for_write(url)
        producer = app.amqp.Producer(connection)
        threads_before = torch.get_num_threads()
        worker = self._start_worker(url, timeout, opts["threads"])
        trip = functools.partial(inference.worker_round_trip, redis_url=url, timeout=timeout, producer=producer)
        try:
            torch.set_num_threads(opts["threads"])
            payload = inference.payload_of(canvas)
            self._wait_for_worker(worker, payload, trip)
            for _ in range(5):  # warm-up, both sides
                inference.detect_inline(canvas)
                trip(payload)
            inline, through, model = [], [], []
            for _ in range(opts["runs"]):
                started = time.perf_counter()
                local = inference.detect_inline(canvas)
                inline.append(time.perf_counter() - started)
                started = time.perf_counter()  # what inference.detect_on_worker does, keeping the reply
                sent = inference.payload_of(canvas)
                reply, _ = trip(sent)
                remote = inference.detection_from(reply, scale=sent.scale)
                through.append(time.perf_counter() - started)
                model.append(reply["model_seconds"])
                if remote.prediction.mood != local.prediction.mood:
                    raise CommandError(f"the worker read {remote.prediction.mood}, this process "
                                       f"{local.prediction.mood}: not the same model?")
        finally:
            app.conf.task_always_eager = eager_before
            connection.release()
            torch.set_num_threads(threads_before)
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        client = redis.Redis.from_url(url)
        left = list(client.scan_iter(f"{inference.KEY_PREFIX}*"))
        report = {
            "runs": opts["runs"], "torch_threads": opts["threads"], "cpu_count": os.cpu_count(), "redis": url,
            "picture": list(CANVAS), "transfer_bytes": len(payload.data),
            "inline": _ms(inline), "worker": _ms(through), "worker_model": _ms(model),
            "added_median_ms": round((statistics.median(through) - statistics.median(inline)) * 1000, 2),
            "keys_left": len(left),
        }
        if opts["json"]:
            print_json(self, report)
            return
        out = self.stdout.write
        out(f"{opts['runs']} detections per side after warm-up, torch threads {opts['threads']} "
            f"(of {report['cpu_count']} CPUs), picture {CANVAS[0]}x{CANVAS[1]} ({len(payload.data):,} bytes sent)")
        out(f"{'path':<34}{'median ms':>10}{'p95 ms':>9}{'min ms':>9}")
        for name, row in (("inline (this process)", report["inline"]), ("worker (queue round trip)",
                                                                           report["worker"]),
                          ("  of which in the worker's model", report["worker_model"])):
            out(f"{name:<34}{row['median_ms']:>10.2f}{row['p95_ms']:>9.2f}{row['min_ms']:>9.2f}")
        out(f"worker adds {report['added_median_ms']:.2f} ms at the median; transit keys left: {len(left)}")

    def _start_worker(self, url: str, timeout: float, threads: int) -> subprocess.Popen:
        env = {**os.environ, "CELERY_BROKER_URL": url, "MOOD_INFERENCE": "worker", "MOOD_INFERENCE_REDIS_URL": url,
               "MOOD_INFERENCE_TIMEOUT": str(timeout), "TORCH_THREADS": str(threads)}
        command = [sys.executable, "-m", "celery", "-A", "vexora", "worker", "-Q", settings.MOOD_INFERENCE_QUEUE,
                   "-c", "1", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
                   "-n", f"bench-inference-{os.getpid()}@%h"]
        return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL)

    def _wait_for_worker(self, worker: subprocess.Popen, payload, trip) -> None:
        from vexora.errors import ServiceUnavailable

        deadline = time.monotonic() + WORKER_START_SECONDS
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise CommandError(f"the inference worker exited with {worker.returncode}")
            try:
                trip(payload, timeout=5)
                return
            except ServiceUnavailable:
                continue
        raise CommandError(f"no answer from the inference worker within {WORKER_START_SECONDS} s")
