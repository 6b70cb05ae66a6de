"""MOOD_INFERENCE is inline or worker; worker mode without a broker (or without a Redis for the
pictures in transit) refuses to start with the reason, instead of failing on the first selfie."""

import pytest

from tests.vexora.support import REAL_KEY, manage

BASE = {"SECRET_KEY": REAL_KEY, "REDIS_URL": None, "DATABASE_URL": None, "CELERY_BROKER_URL": None,
        "MOOD_INFERENCE_REDIS_URL": None}


@pytest.mark.parametrize(("env", "reason"), [
    ({"MOOD_INFERENCE": "gpu"}, "MOOD_INFERENCE must be inline or worker"),
    ({"MOOD_INFERENCE": "worker"}, "MOOD_INFERENCE=worker needs CELERY_BROKER_URL"),
    ({"MOOD_INFERENCE": "worker", "CELERY_BROKER_URL": "amqp://127.0.0.1:5672//"}, "a Redis for the selfies"),
])
def test_a_wrong_inference_setting_refuses_to_start(env, reason):
    result = manage("check", env={**BASE, **env})

    assert result.returncode != 0
    assert reason in result.stderr


@pytest.mark.parametrize("env", [
    {"MOOD_INFERENCE": "inline"},
    {"MOOD_INFERENCE": "worker", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7"},
    {"MOOD_INFERENCE": "worker", "CELERY_BROKER_URL": "amqp://127.0.0.1:5672//",
     "MOOD_INFERENCE_REDIS_URL": "redis://127.0.0.1:6379/8"},
])
def test_a_complete_inference_setting_starts(env):
    result = manage("check", env={**BASE, **env})

    assert result.returncode == 0, result.stderr[-2000:]
