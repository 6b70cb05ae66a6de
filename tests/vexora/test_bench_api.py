"""bench_api starts gunicorn (gunicorn.conf.py, throttles lifted), loads each endpoint through
keep-alive connections and reports requests per second, p50 and p99 that hang together."""

import json

import pytest

from tests.servers import child_env
from tests.vexora.support import REAL_KEY, manage

pytestmark = pytest.mark.slow


def test_a_short_run_against_a_server_it_starts(tmp_path):
    env = child_env(SECRET_KEY=REAL_KEY, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=None,
                    CELERY_BROKER_URL=None, WEB_CONCURRENCY="1", GUNICORN_THREADS="2", TORCH_THREADS="1")
    env = {key: env.get(key) for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL",
                                         "WEB_CONCURRENCY", "GUNICORN_THREADS", "TORCH_THREADS")}
    assert manage("migrate", "--noinput", env=env, timeout=300).returncode == 0

    result = manage("bench_api", "--start-server", "--endpoints", "health,history,login", "--duration", "2",
                    "--connections", "4", "--clients", "1", "--history", "30", "--json", env=env, timeout=300)

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert set(report["results"]) == {"health", "history", "login"}
    for name, row in report["results"].items():
        assert row["requests"] > 0 and row["not_2xx"] == 0, (name, row)
        assert 0 < row["p50_ms"] <= row["p99_ms"], (name, row)
        assert row["rps"] == pytest.approx(row["requests"] / 2, rel=0.01), (name, row)
    assert report["web_concurrency"] == 1 and report["threads"] == 2
