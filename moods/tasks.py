"""Inference on Celery workers (``MOOD_INFERENCE=worker``; see moods/inference.py).

A worker that consumes the ``inference`` queue loads the model once in each of its processes, when
the process starts (``worker_process_init``), so no request waits for a model to load.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import celeryd_after_setup, worker_process_init
from django.conf import settings

from moods import inference

logger = logging.getLogger(__name__)

_serves_inference = False


@shared_task(name="moods.tasks.inference_run", acks_late=False, ignore_result=True, time_limit=120)
def inference_run(*, job: str, kind: str, size) -> None:
    """Answer one inference job. Acknowledged on receipt and published with ``expires`` at the
    deadline: a job nobody took in time is dropped unread (its picture has expired anyway), and a
    job is never run twice (the answer would come too late)."""
    inference.inference_serve(job=job, kind=kind, size=size, redis_url=settings.MOOD_INFERENCE_REDIS_URL,
                              timeout=settings.MOOD_INFERENCE_TIMEOUT)


@celeryd_after_setup.connect
def _note_inference_queue(sender, instance, **kwargs):
    """In the worker's main process, before the pool forks: does this worker take inference jobs?
    (With MOOD_INFERENCE=inline none are ever sent: no model to load.)"""
    global _serves_inference
    _serves_inference = (settings.MOOD_INFERENCE == "worker"
                         and settings.MOOD_INFERENCE_QUEUE in instance.app.amqp.queues.consume_from)


@worker_process_init.connect
def _load_model(**kwargs):
    """In each pool process as it starts: load the model (a failure is logged; jobs then answer 503)."""
    if not _serves_inference:
        return
    try:
        inference.model_get()
    except Exception as exc:
        logger.error("inference worker could not load the mood model: %s", exc)
    else:
        logger.info("mood model loaded for inference")
