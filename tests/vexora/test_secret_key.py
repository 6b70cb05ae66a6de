"""No known secret: without a real SECRET_KEY (DEBUG off) the app refuses to start, a token signed
with a published key is refused, and `make` writes a random key into the git-ignored .env."""

import subprocess
from pathlib import Path

import jwt
import pytest
import yaml
from django.conf import settings

from tests.accounts.support import API, assert_envelope
from tests.vexora.support import REAL_KEY, ROOT, manage

PUBLISHED_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"


@pytest.mark.parametrize("key", [None, "", PUBLISHED_KEY, "change-me-in-production", "short"],
                         ids=["unset", "blank", "published", "compose-default", "too-short"])
def test_without_a_real_key_the_app_refuses_to_start(key):
    env = {"SECRET_KEY": key, "DEBUG": "false", "DATABASE_URL": None}
    for command in (("check",), ("check", "--deploy")):
        result = manage(*command, env=env)
        assert result.returncode != 0, result.stdout
        assert "refuses to start: SECRET_KEY" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_published_jwt_signing_key_is_refused_too():
    result = manage("check", env={"SECRET_KEY": REAL_KEY, "JWT_SIGNING_KEY": PUBLISHED_KEY, "DEBUG": "false"})
    assert result.returncode != 0 and "JWT_SIGNING_KEY" in result.stderr


def test_with_a_real_key_it_starts():
    result = manage("check", env={"SECRET_KEY": REAL_KEY, "DEBUG": "false", "DATABASE_URL": None})
    assert result.returncode == 0, result.stderr


def test_debug_without_a_key_starts_with_a_throwaway_key():
    result = manage("shell", "-c", "from django.conf import settings; print(len(settings.SECRET_KEY))",
                    env={"SECRET_KEY": None, "DEBUG": "true", "DATABASE_URL": None})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[-1]) >= 50


def test_the_running_settings_use_neither_published_key():
    for key in (settings.SECRET_KEY, settings.SIMPLE_JWT["SIGNING_KEY"]):
        assert key not in settings.KNOWN_INSECURE_KEYS and len(key) >= 32


@pytest.mark.django_db
def test_a_token_forged_with_the_published_key_is_refused(api_client, user):
    forged = jwt.encode({"token_type": "access", "user_uuid": str(user.uuid), "jti": "f" * 32, "exp": 4102444800,
                         "iat": 1700000000}, PUBLISHED_KEY, algorithm="HS256")

    response = api_client.get(API + "user", HTTP_AUTHORIZATION=f"Bearer {forged}")

    assert_envelope(response, 401)


def test_make_writes_a_random_key_into_a_fresh_env_file_once(tmp_path):
    run = ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), "env-key"]
    subprocess.run(run, check=True, capture_output=True)
    first = (tmp_path / ".env").read_text()
    subprocess.run(run, check=True, capture_output=True)

    assert (tmp_path / ".env").read_text() == first  # written once, kept
    [line] = [line for line in first.splitlines() if line.startswith("SECRET_KEY=")]
    assert len(line.split("=", 1)[1]) >= 50
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_no_example_or_compose_file_carries_a_literal_key():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        value = str((service.get("environment") or {}).get("SECRET_KEY", ""))
        assert not value or value.startswith("${SECRET_KEY:?"), (name, value)
    example = Path(ROOT / ".env.example").read_text()
    assert PUBLISHED_KEY not in example
    assert "SECRET_KEY=\n" in example
