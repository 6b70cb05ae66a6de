"""Running the project's manage.py in a child process with a chosen environment (start-up checks
that need a fresh settings import: secret keys, TLS settings, a hung or empty database)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "k" * 20 + "-a-random-looking-test-key-0123456789"


def manage(*args: str, env: dict[str, str | None], timeout: float = 60) -> subprocess.CompletedProcess:
    """``python manage.py *args`` with the parent's environment changed by ``env`` (None removes a
    variable). No .env file is read unless ``ENV_FILE`` is given."""
    child = {**os.environ, "ENV_FILE": "/nonexistent/.env", "PYTHONDONTWRITEBYTECODE": "1"}
    for inherited in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # set by pytest-django/browser tests
        child.pop(inherited, None)
    for key, value in env.items():
        if value is None:
            child.pop(key, None)
        else:
            child[key] = value
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=child, capture_output=True,
                          text=True, timeout=timeout)


def shell(code: str, *, env: dict[str, str | None], timeout: float = 60) -> subprocess.CompletedProcess:
    return manage("shell", "--no-imports", "-c", code, env=env, timeout=timeout)
