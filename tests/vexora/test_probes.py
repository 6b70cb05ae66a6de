"""/healthz says the process is alive and touches nothing; /readyz says whether this process can
serve everything: database and cache, the broker when one is configured, the mood model loaded here
(inline) or the transit Redis to the inference workers (worker)."""

import json

import pytest

from tests.servers import free_port
from tests.vexora.support import REAL_KEY, shell

pytestmark = pytest.mark.django_db


@pytest.fixture
def model_loaded():
    from moods.inference import model_get

    return model_get()


def test_a_process_without_its_model_is_alive_but_not_ready(tmp_path):
    probe = """
import json
from django.core.management import call_command
from django.test import Client
from moods.inference import model_get
call_command("migrate", verbosity=0)
client = Client()
before = client.get("/readyz")
alive = client.get("/healthz")
model_get()
after = client.get("/readyz")
print("ANSWERS" + json.dumps([[r.status_code, r.json()] for r in (before, alive, after)]))
"""
    result = shell(probe, env={"SECRET_KEY": REAL_KEY, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                               "REDIS_URL": None, "CELERY_BROKER_URL": None, "MOOD_INFERENCE": "inline",
                               "ALLOWED_HOSTS": "testserver"}, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("ANSWERS")]
    (before_status, before), (alive_status, alive), (after_status, after) = json.loads(line[len("ANSWERS"):])

    assert before_status == 503 and before["data"]["model"] == "not loaded"
    assert before["message"] == "not ready: model unavailable"
    assert alive_status == 200 and alive["message"] == "alive"
    assert after_status == 200 and after["data"] == {"database": "ok", "cache": "ok", "model": "ok"}


def test_a_configured_broker_is_checked(client, settings, private_redis, model_loaded):
    settings.CELERY_BROKER_URL = f"{private_redis}/1"
    assert client.get("/readyz").json()["data"]["broker"] == "ok"

    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/1"  # nothing listens there
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["data"]["broker"] == "error"
    assert response.json()["message"] == "not ready: broker unavailable"


def test_worker_mode_checks_the_way_to_the_workers_instead_of_a_model(client, settings, private_redis):
    settings.MOOD_INFERENCE = "worker"
    settings.MOOD_INFERENCE_REDIS_URL = f"{private_redis}/2"
    body = client.get("/readyz").json()
    assert body["data"] == {"database": "ok", "cache": "ok", "inference": "ok"}

    settings.MOOD_INFERENCE_REDIS_URL = f"redis://127.0.0.1:{free_port()}/2"
    response = client.get("/readyz")

    assert response.status_code == 503 and response.json()["data"]["inference"] == "error"
