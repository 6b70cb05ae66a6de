"""MOOD_INFERENCE=worker: the selfie goes through the transit Redis to an inference worker and the
answer comes back the same as the model gives here; a deadline that passes is a 503; nothing of the
picture is left in Redis afterwards.

The first tests run the task in this process (no broker configured: Celery runs it eagerly) against a
private Redis; the slow one starts a real worker process and a second process that publishes."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from history.models import HistoryEntry
from moods.inference import TRANSFER_MAX_SIDE, inference_detect
from moods.services import NoFaceDetected
from tests.accounts.support import assert_envelope
from tests.moods.conftest import ASTRONAUT, assert_same_face
from tests.servers import celery_worker, child_env, wait_until
from tests.vexora.support import REAL_KEY, shell


def _redis(url):
    import redis

    return redis.Redis.from_url(url)


@pytest.fixture
def worker_mode(settings, private_redis):
    settings.MOOD_INFERENCE = "worker"
    settings.MOOD_INFERENCE_REDIS_URL = private_redis
    settings.MOOD_INFERENCE_TIMEOUT = 10.0
    return private_redis


def test_the_worker_path_answers_exactly_what_the_model_answers_here(worker_mode, detector, astronaut):
    here = detector.detect(astronaut)

    there = inference_detect(astronaut)

    assert there == here
    assert _redis(worker_mode).dbsize() == 0  # picture and answer both gone


def test_a_big_picture_travels_scaled_down_and_its_face_box_is_in_the_original(worker_mode, detector, astronaut):
    big = astronaut.resize((2400, 2400), Image.Resampling.LANCZOS)
    here = detector.detect(big)

    there = inference_detect(big)

    assert max(big.size) > TRANSFER_MAX_SIDE
    assert there.prediction.mood == here.prediction.mood
    assert there.prediction.confidence == pytest.approx(here.prediction.confidence, abs=0.02)
    assert_same_face(there.face_box, here.face_box, tolerance=0.05)


def test_no_face_is_the_same_refusal_as_inline(worker_mode):
    with pytest.raises(NoFaceDetected):
        inference_detect(Image.new("RGB", (320, 240), (90, 90, 90)))
    assert _redis(worker_mode).dbsize() == 0


@pytest.mark.django_db
def test_a_deadline_that_passes_is_a_503_and_records_nothing(worker_mode, settings, auth_client):
    settings.MOOD_INFERENCE_TIMEOUT = 0.001  # no worker can answer within a millisecond
    selfie = SimpleUploadedFile("me.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")

    response = auth_client.post("/api/v1/mood-detection", {"image": selfie}, format="multipart")

    body = assert_envelope(response, 503)
    assert body["message"] == "mood detection is busy right now, please try again shortly"
    assert response["Retry-After"] == "1"
    assert not HistoryEntry.objects.exists()
    assert _redis(worker_mode).dbsize() == 0


# --- A real worker process ----------------------------------------------------------------------
DETECT = """
import json, time
from pathlib import Path
from moods.inference import inference_detect
from vexora.errors import ServiceUnavailable
started = time.monotonic()
try:
    found = inference_detect(Path("tests/moods/data/astronaut.jpg").read_bytes())
    answer = {"mood": found.prediction.mood, "probabilities": found.prediction.probabilities,
              "face_box": list(found.face_box)}
except ServiceUnavailable as exc:
    answer = {"error": exc.message}
answer["seconds"] = time.monotonic() - started
print("ANSWER" + json.dumps(answer))
"""


def _detect_in_a_web_process(env: dict) -> dict:
    result = shell(DETECT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("ANSWER")]
    return json.loads(line[len("ANSWER"):])


def _values(client) -> list[bytes]:
    found = []
    for key in client.scan_iter("*"):
        kind = client.type(key)
        if kind == b"string":
            found.append(client.get(key))
        elif kind == b"list":
            found += client.lrange(key, 0, -1)
        elif kind == b"hash":
            found += client.hvals(key)
        elif kind in (b"set", b"zset"):
            found += list(client.smembers(key)) if kind == b"set" else client.zrange(key, 0, -1)
    return found


@pytest.mark.slow
def test_a_worker_process_loads_the_model_at_start_answers_and_keeps_no_picture(private_redis, detector,
                                                                                astronaut_bytes, tmp_path):
    env = {"SECRET_KEY": REAL_KEY, "CELERY_BROKER_URL": f"{private_redis}/0", "MOOD_INFERENCE": "worker",
           "MOOD_INFERENCE_TIMEOUT": "30", "TORCH_THREADS": "1", "REDIS_URL": None, "DATABASE_URL": None}
    worker = celery_worker(env=child_env(**env), log=tmp_path / "worker.log", queues="inference")
    try:
        wait_until(lambda: "mood model loaded for inference" in worker.output(), timeout=120,
                   what="the worker's model")
        answer = _detect_in_a_web_process(env)
    finally:
        worker.stop()
    here = detector.detect(astronaut_bytes)
    assert answer["mood"] == here.prediction.mood
    assert answer["probabilities"] == pytest.approx(here.prediction.probabilities, abs=1e-6)
    assert tuple(answer["face_box"]) == here.face_box
    assert "inference_run" in worker.output()

    # No worker now: the request gives up at the deadline; the picture expires with it.
    late = _detect_in_a_web_process({**env, "MOOD_INFERENCE_TIMEOUT": "1"})
    assert late["error"] == "mood detection is busy right now, please try again shortly"
    assert late["seconds"] < 10
    client = _redis(f"{private_redis}/0")
    values = _values(client)  # the queued job's message is there, holding no picture
    assert values and max(len(value) for value in values) < 8192
    probe = astronaut_bytes[6000:6048]  # 6000: a multiple of 3, so base64 of the file holds base64 of it
    assert not any(probe in value or base64.b64encode(probe) in value for value in values)
    assert not list(client.scan_iter("vexora:inference:*"))


@pytest.mark.slow
def test_bench_inference_reports_both_paths_and_leaves_nothing(private_redis, settings):
    from django.core.management import call_command

    from vexora.celery import app

    out = io.StringIO()
    call_command("bench_inference", "--redis", f"{private_redis}/1", "--runs", "3", "--json", stdout=out,
                 stderr=io.StringIO())

    report = json.loads(out.getvalue())
    assert report["keys_left"] == 0 and report["transfer_bytes"] == 640 * 480 * 3
    for path in ("inline", "worker", "worker_model"):
        assert 0 < report[path]["min_ms"] <= report[path]["median_ms"] <= report[path]["p95_ms"], path
    assert report["worker"]["min_ms"] > report["worker_model"]["min_ms"]  # the round trip holds the model's time
    assert app.conf.task_always_eager is True  # this process's Celery configuration is as it was
