"""moods/ml is plain PyTorch + Pillow + numpy: every module imports, and a detector loads and reads a
face, in an interpreter where Django and the web app's error and upload modules cannot be imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.slow  # starts a fresh interpreter that loads torch and MTCNN

BLOCKED = ("django", "rest_framework", "vexora.errors", "vexora.images", "vexora.settings")

PROBE = f"""
import importlib, pkgutil, sys

BLOCKED = {BLOCKED!r}

class Block:
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in BLOCKED):
            raise ImportError("blocked: " + name)
        return None

sys.meta_path.insert(0, Block())
import moods.ml
for info in pkgutil.iter_modules(moods.ml.__path__):
    importlib.import_module("moods.ml." + info.name)
from moods.ml.detector import MoodDetector
detector = MoodDetector(weights_path=sys.argv[1], threads=1)
print("MOOD", detector.detect(open(sys.argv[2], "rb").read()).prediction.mood)
print("LOADED", sorted({{m.split(".")[0] for m in sys.modules}} & {{"django", "rest_framework"}}))
"""


def test_the_model_package_works_without_django_or_the_web_app():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", PROBE, str(settings.MOOD_WEIGHTS_PATH), str(ASTRONAUT)],
                          cwd=Path(settings.BASE_DIR), env=env, capture_output=True, text=True, timeout=180)

    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[-2].split()[0] == "MOOD" and lines[-2].split()[1] in ("happy", "sad", "angry", "neutral")
    assert lines[-1] == "LOADED []"
