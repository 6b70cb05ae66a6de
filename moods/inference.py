"""Where the mood model runs: ``inference_detect(image)`` is ``get_detector().detect(image)`` either
in this process (``MOOD_INFERENCE=inline``) or on a Celery worker that consumes the ``inference``
queue (``MOOD_INFERENCE=worker``), with the same answer and the same exceptions.

The worker path, for one selfie:

1. The web process stores the picture in the transit Redis (``MOOD_INFERENCE_REDIS_URL``) under a
   random job key that expires at the deadline (``MOOD_INFERENCE_TIMEOUT``), and publishes
   ``moods.tasks.inference_run(job)`` to the ``inference`` queue. The task message holds the job id
   and the picture's size, never the picture: the broker's Redis keeps an append-only file on disk
   (so queued mail survives a restart), and a selfie must never reach a disk.
2. A worker process (the model loaded once, when the process started) takes the picture with
   GETDEL, so it is gone from Redis the moment it is read, runs the detector and pushes the answer
   (JSON: mood, probabilities, face box, or the exception to raise) to the job's reply key.
3. The web process waits on the reply key with BLPOP (which removes the answer as it reads it) for
   what is left of the deadline; no answer in time is a 503. Either way it deletes both keys.

Redis lists rather than Celery's result backend: ``AsyncResult.get()`` is not safe to call from
several threads of one process (celery/celery#4480, #6335), and gunicorn's threaded workers wait
for many answers at once. BLPOP is one blocking command on a pooled connection per waiting thread.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy
from PIL import Image

from vexora import metrics
from vexora.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

# A picture is scaled down to this longest side before it travels (the detector's own first step:
# its work image is at most 1280 px), and sent as raw RGB: no encoding cost, nothing lost. At most
# 1280 x 1280 x 3 bytes (4.9 MB); the webcam page's 640 x 480 captures are 0.9 MB.
TRANSFER_MAX_SIDE = 1280
# The answer waits this long for a web process that is still listening (it is popped at once).
REPLY_TTL_SECONDS = 30
KEY_PREFIX = "vexora:inference:"
BUSY = gettext_lazy("mood detection is busy right now, please try again shortly")
# Exceptions a worker may hand back to be raised again here (the detector's own and the domain's).
_RAISABLE_MODULES = ("moods.", "vexora.errors")


def inference_mode() -> str:
    return settings.MOOD_INFERENCE


def inference_detect(image):
    """The mood of the largest face in ``image`` (PIL image or encoded bytes) -> ``MoodDetection``,
    where ``settings.MOOD_INFERENCE`` says. Raises what ``detect`` raises (``NoFaceDetected`` ...),
    and ``ServiceUnavailable`` (503) when no worker answers within ``MOOD_INFERENCE_TIMEOUT``."""
    if inference_mode() == "worker":
        detection = detect_on_worker(image, redis_url=settings.MOOD_INFERENCE_REDIS_URL,
                                     timeout=settings.MOOD_INFERENCE_TIMEOUT)
    else:
        detection = detect_inline(image)
    metrics.mood_read(detection.prediction.mood)
    return detection


def detect_inline(image):
    started = time.perf_counter()
    detection = model_get().detect(image)
    metrics.mood_stage_observe("model", time.perf_counter() - started)
    return detection


# --- The model in this process ---------------------------------------------------------------------
_model_loaded = threading.Event()


def model_get():
    """``get_detector()``, remembering that this process has the model loaded (``model_loaded``)."""
    from moods.services import get_detector

    detector = get_detector()
    _model_loaded.set()
    return detector


def model_loaded() -> bool:
    """Whether this process has loaded the model (without loading it): for /readyz."""
    return _model_loaded.is_set()


@dataclass(frozen=True)
class Payload:
    data: bytes
    kind: str  # "rgb": raw RGB pixels of ``size``; "encoded": the file's bytes as uploaded
    size: tuple[int, int]
    scale: float  # original size / transferred size (face boxes are mapped back with it)


def payload_of(image) -> Payload:
    """What travels to the worker for ``image`` (PIL image or encoded bytes)."""
    if isinstance(image, (bytes, bytearray, memoryview)):
        return Payload(bytes(image), "encoded", (0, 0), 1.0)
    if not isinstance(image, Image.Image):
        raise TypeError(f"inference_detect takes bytes or a PIL image, not {type(image).__name__}")
    from vexora.images import image_to_rgb

    scale = 1.0
    if max(image.size) > TRANSFER_MAX_SIDE:
        scale = max(image.size) / TRANSFER_MAX_SIDE
        size = (max(1, round(image.size[0] / scale)), max(1, round(image.size[1] / scale)))
        if image.mode not in ("RGB", "L"):
            image = image_to_rgb(image)
        image = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    rgb = image_to_rgb(image)
    return Payload(rgb.tobytes(), "rgb", rgb.size, scale)


def detect_on_worker(image, *, redis_url: str, timeout: float):
    """``detect`` on an inference worker; see the module's docstring for the path the picture takes."""
    payload = payload_of(image)
    reply, seconds = worker_round_trip(payload, redis_url=redis_url, timeout=timeout)
    if "model_seconds" in reply:
        metrics.mood_stage_observe("model", reply["model_seconds"])
        metrics.mood_stage_observe("dispatch", max(0.0, seconds - reply["model_seconds"]))
    return detection_from(reply, scale=payload.scale)


def worker_round_trip(payload: Payload, *, redis_url: str, timeout: float, producer=None) -> tuple[dict, float]:
    """One job through the queue: (the worker's reply, seconds from storing the picture to reading
    the answer). ServiceUnavailable when no answer came within ``timeout``. ``producer``: a kombu
    producer on another broker than the configured one (bench_inference)."""
    from moods.tasks import inference_run

    client = transit_client(redis_url, timeout)
    job = uuid.uuid4().hex
    image_key, reply_key = job_keys(job)
    started = time.perf_counter()
    try:
        client.set(image_key, payload.data, px=max(1, int(timeout * 1000)))
        inference_run.apply_async(kwargs={"job": job, "kind": payload.kind, "size": list(payload.size)},
                                  expires=timeout, producer=producer)
        left = timeout - (time.perf_counter() - started)
        answer = client.blpop([reply_key], timeout=left) if left > 0 else None
    finally:
        client.delete(image_key, reply_key)
    if answer is None:
        logger.warning("no inference worker answered within %.1f s", timeout)
        metrics.inference_timeout()
        raise ServiceUnavailable(BUSY, data={"retry_after": max(1, round(timeout))})
    return json.loads(answer[1]), time.perf_counter() - started


def job_keys(job: str) -> tuple[str, str]:
    return f"{KEY_PREFIX}{job}:image", f"{KEY_PREFIX}{job}:reply"


def inference_serve(*, job: str, kind: str, size, redis_url: str, timeout: float) -> bool:
    """The worker's side of one job: take the picture (GETDEL), detect, push the answer. False when
    the picture is gone (the web process gave up and it expired): nothing to answer."""
    client = transit_client(redis_url, timeout)
    image_key, reply_key = job_keys(job)
    data = client.getdel(image_key)
    if data is None:
        logger.info("inference job %s expired before a worker took it", job)
        return False
    started = time.perf_counter()
    try:
        image = Image.frombytes("RGB", tuple(size), data) if kind == "rgb" else data
        del data
        detection = model_get().detect(image)
        reply = {"detection": _detection_to_dict(detection)}
    except Exception as exc:  # every outcome is answered: the web process must not wait for nothing
        reply = {"error": _error_to_dict(exc)}
    reply["model_seconds"] = time.perf_counter() - started
    with client.pipeline(transaction=True) as pipe:
        pipe.rpush(reply_key, json.dumps(reply))
        pipe.expire(reply_key, REPLY_TTL_SECONDS)
        pipe.execute()
    return True


# --- The transit Redis ---------------------------------------------------------------------------
_clients: dict[tuple[str, float], object] = {}
_clients_lock = threading.Lock()


def transit_client(redis_url: str, timeout: float):
    """One pooled client per URL and deadline (thread-safe); its socket timeout outlasts BLPOP's."""
    key = (redis_url, float(timeout))
    client = _clients.get(key)
    if client is None:
        import redis

        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=timeout + 5,
                                              health_check_interval=30)
                _clients[key] = client
    return client


# --- Answers as JSON -----------------------------------------------------------------------------
def _detection_to_dict(detection) -> dict:
    prediction = detection.prediction
    return {"mood": prediction.mood, "confidence": prediction.confidence,
            "probabilities": prediction.probabilities, "face_box": list(detection.face_box),
            "faces_found": detection.faces_found}


def detection_from(reply: dict, *, scale: float):
    from moods.services import MoodDetection, MoodPrediction

    if "error" in reply:
        raise _error_from(reply["error"])
    found = reply["detection"]
    box = tuple(round(value * scale) if scale != 1.0 else value for value in found["face_box"])
    prediction = MoodPrediction(mood=found["mood"], confidence=found["confidence"],
                                probabilities=found["probabilities"])
    return MoodDetection(prediction=prediction, face_box=box, faces_found=found["faces_found"])


def _error_to_dict(exc: BaseException) -> dict:
    cls = type(exc)
    if not cls.__module__.startswith(_RAISABLE_MODULES):
        logger.exception("inference failed")
    return {"module": cls.__module__, "name": cls.__qualname__, "message": getattr(exc, "message", str(exc))}


def _error_from(error: dict) -> Exception:
    """The worker's exception, raised again here when it is one of ours (the detector's refusals are
    the client's 400s); anything else is a 503."""
    import importlib

    module, name, message = error.get("module", ""), error.get("name", ""), error.get("message", "")
    if module.startswith(_RAISABLE_MODULES) and "." not in name:
        try:
            cls = getattr(importlib.import_module(module), name)
            if isinstance(cls, type) and issubclass(cls, Exception):
                return cls(message)
        except Exception:  # a class that moved or takes other arguments: the generic answer
            pass
    return ServiceUnavailable("mood detection is not available right now")
