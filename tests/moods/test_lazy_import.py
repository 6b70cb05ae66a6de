"""Starting Django, importing moods.services and running unrelated commands never loads torch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow  # each test starts a fresh interpreter

BASE_DIR = Path(settings.BASE_DIR)


def _run(args: list[str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vexora.settings"}
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


def test_importing_the_services_after_django_setup_does_not_import_torch():
    code = "import django; django.setup(); import moods.services; import sys; print('torch' in sys.modules)"
    done = _run(["-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_tools_outside_the_project_get_the_detector_without_django_setup():
    # DESIGN.md's interface: `from moods.services import get_detector` needs only the settings module.
    code = ("from moods.services import get_detector; import sys; print('torch' in sys.modules); "
            "print(type(get_detector()).__name__)")
    done = _run(["-c", code])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "MoodDetector"]


def test_the_check_is_a_real_one():
    # The same probe does see torch when the detector module's torch-using code runs.
    code = ("import django; django.setup(); from moods.ml.preprocess import faces_to_batch; import sys; "
            "print('torch' in sys.modules)")
    done = _run(["-c", code])
    assert done.stdout.strip() == "True", done.stderr


def _manage_py(command: str) -> subprocess.CompletedProcess:
    """Runs ``manage.py <command>`` in a fresh interpreter, then reports which modules it loaded."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['manage.py', '{command}']\n"
        "try:\n"
        "    runpy.run_path('manage.py', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('LOADED', 'moods.services' in sys.modules, 'torch' in sys.modules, 'facenet_pytorch' in sys.modules)\n"
    )
    return _run(["-c", code])


def test_manage_py_check_does_not_import_torch():
    done = _manage_py("check")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "System check identified no issues" in done.stdout
    # (moods.services is loaded here once the mood API views import it; either way, no torch)
    assert done.stdout.strip().splitlines()[-1].split()[2:] == ["False", "False"]


def test_listing_the_commands_does_not_import_torch():
    done = _manage_py("help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "bench_mood" in done.stdout and "train_mood_model" in done.stdout and "evaluate_mood_model" in done.stdout
    assert done.stdout.strip().splitlines()[-1].split()[2:] == ["False", "False"]
