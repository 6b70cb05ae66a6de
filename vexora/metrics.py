"""Prometheus metrics at /metrics: django-prometheus's (requests, latency by view, responses by
status) and Vexora's own, defined here:

- ``vexora_mood_detection_seconds{stage}``: time per stage of a mood detection: ``model`` (face
  finding and the CNN, in this process or on an inference worker), ``dispatch`` (worker mode: the
  round trip through the queue beyond the model's time: transfer, queueing, answer).
- ``vexora_moods_read_total{mood, inference}``: selfies read, by mood and where the model ran.
- ``vexora_mood_inference_timeouts_total``: detections that got no worker answer in time (503s).
- ``vexora_queue_depth{queue}``: tasks waiting in each Celery queue (read from the broker when
  /metrics is scraped; absent without a Redis broker).

With several gunicorn workers, ``PROMETHEUS_MULTIPROC_DIR`` (set by gunicorn.conf.py) makes every
scrape add up all the workers of the server it reaches; scrape each server (web replica) directly.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

MOOD_DETECTION_SECONDS = Histogram(
    "vexora_mood_detection_seconds", "Time per stage of a mood detection.", ["stage"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
MOODS_READ = Counter("vexora_moods_read_total", "Selfies whose mood was read.", ["mood", "inference"])
INFERENCE_TIMEOUTS = Counter("vexora_mood_inference_timeouts_total",
                             "Mood detections that no inference worker answered in time.")


def mood_stage_observe(stage: str, seconds: float) -> None:
    MOOD_DETECTION_SECONDS.labels(stage=stage).observe(seconds)


def mood_read(mood: str) -> None:
    MOODS_READ.labels(mood=mood, inference=settings.MOOD_INFERENCE).inc()


def inference_timeout() -> None:
    INFERENCE_TIMEOUTS.inc()


class QueueDepthCollector:
    """``vexora_queue_depth{queue}`` read from the broker (Redis lists) at scrape time, within the
    broker's socket timeouts; nothing when there is no Redis broker or it does not answer."""

    def collect(self):
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return
        family = GaugeMetricFamily("vexora_queue_depth", "Tasks waiting in each Celery queue.", labels=["queue"])
        try:
            client = _broker_client(url)
            for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.MOOD_INFERENCE_QUEUE):
                family.add_metric([queue], client.llen(queue))
        except Exception as exc:  # a scrape reports what it can
            logger.warning("queue depth unavailable: %s", exc)
            return
        yield family


_broker_clients: dict[str, object] = {}


def _broker_client(url: str):
    client = _broker_clients.get(url)
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        _broker_clients[url] = client
    return client


_queue_depth = QueueDepthCollector()
REGISTRY.register(_queue_depth)


def metrics_view(request):
    """/metrics in Prometheus' text format: this process's metrics, or every worker's of this server
    when gunicorn runs several (multiprocess mode), plus the queue depths."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_queue_depth)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
