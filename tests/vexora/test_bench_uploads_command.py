"""bench_uploads, in a reduced form (1 worker, 2 threads, one upload at a time, 3 MP caps): it starts
the real server on its own database, gets the expected answers and reports the memory it read; with
``--inference worker`` the web server runs without torch and the inference worker is measured apart."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def _bench(tmp_path, *extra) -> dict:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_uploads", "--migrate", "--workers", "1", "--threads", "2",
         "--concurrency", "1", "--pixels", "3000000", "--declared-pixels", "12000000", "--json", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def _answers_as_expected(report: dict) -> dict:
    rounds = {r["upload"]: r for r in report["rounds"]}
    assert len(rounds) == 8
    for name, r in rounds.items():
        assert r["answers"] == {str(r["expected"]): 1}, (name, r["messages"])
    assert rounds["mood PNG a row above the cap"]["expected"] == 400
    return rounds


@pytest.mark.slow
def test_a_reduced_run_reports_answers_and_memory(tmp_path):
    report = _bench(tmp_path)

    assert report["caps"] == {"SELFIE_MAX_PIXELS": 3_000_000, "PICTURE_MAX_PIXELS": 3_000_000,
                              "IMAGE_MAX_PIXELS": 12_000_000}
    assert report["inference"] == "inline" and report["torch_in_web"] is True
    assert list(report["idle"]) == ["web"]
    assert report["idle"]["web"]["processes"] == 2 and report["idle"]["web"]["rss_mb"] > 0  # master + 1 worker
    rounds = _answers_as_expected(report)
    # 12 MP declared, above the 3 MP cap: read at half scale (2000x1500), so accepted
    assert rounds["mood sequential JPEG at IMAGE_MAX_PIXELS"]["size"] == [4000, 3000]
    peaks = [r["peak_mb"]["web"]["rss"] for r in report["rounds"]]
    assert report["peak_mb"]["web"]["rss"] == max(peaks) >= report["idle"]["web"]["rss_mb"]


@pytest.mark.slow
def test_with_an_inference_worker_the_web_server_holds_no_torch(tmp_path):
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")

    report = _bench(tmp_path, "--inference", "worker", "--redis", f"redis://{REDIS[0]}:{REDIS[1]}/13")

    assert report["inference"] == "worker" and report["torch_in_web"] is False
    assert list(report["idle"]) == ["web", "inference"]
    _answers_as_expected(report)
    web, inference = report["peak_mb"]["web"], report["peak_mb"]["inference"]
    # the model lives in the inference worker only: its tree is the larger one
    assert 0 < web["pss"] < inference["pss"]
