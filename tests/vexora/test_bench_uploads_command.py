"""bench_uploads, in a reduced form (1 worker, 2 threads, one upload at a time, 3 MP caps): it starts
the real server on its own database, gets the expected answers and reports the memory it read."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_reduced_run_reports_answers_and_memory(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'bench.sqlite3'}", PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_uploads", "--migrate", "--workers", "1", "--threads", "2",
         "--concurrency", "1", "--pixels", "3000000", "--declared-pixels", "12000000", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)

    assert report["caps"] == {"SELFIE_MAX_PIXELS": 3_000_000, "PICTURE_MAX_PIXELS": 3_000_000,
                              "IMAGE_MAX_PIXELS": 12_000_000}
    assert report["idle"]["workers"] == 1 and report["idle"]["rss_mb"] > 0
    rounds = {r["upload"]: r for r in report["rounds"]}
    assert len(rounds) == 8
    for name, r in rounds.items():
        assert r["answers"] == {str(r["expected"]): 1}, (name, r["messages"])
        assert r["peak_rss_mb"] > 0 and r["peak_pss_mb"] > 0
    assert rounds["mood PNG a row above the cap"]["expected"] == 400
    # 12 MP declared, above the 3 MP cap: read at half scale (2000x1500), so accepted
    assert rounds["mood sequential JPEG at IMAGE_MAX_PIXELS"]["size"] == [4000, 3000]
    assert report["peak_rss_mb"] == max(r["peak_rss_mb"] for r in report["rounds"]) >= report["idle"]["rss_mb"]
