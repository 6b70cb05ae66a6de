"""The mood model is loaded when the web process starts (vexora/wsgi.py with MOOD_WARMUP, which
`make run` sets for runserver), in the background, so the first scan does not wait for it; without
MOOD_WARMUP (tests, management commands) nothing loads it early."""

import pytest

from tests.vexora.support import REAL_KEY, shell

pytestmark = pytest.mark.slow  # child processes, one of which loads the model

IMPORT_WSGI = """
import sys, threading
import vexora.wsgi
warmup = [t for t in threading.enumerate() if t.name == "mood-model-warmup"]
for thread in warmup:
    thread.join(120)
from moods import services as detector
print(len(warmup), detector._detector is not None, "torch" in sys.modules)
"""


def test_the_web_process_loads_the_model_as_it_starts_when_asked():
    result = shell(IMPORT_WSGI, env={"SECRET_KEY": REAL_KEY, "MOOD_WARMUP": "true", "DATABASE_URL": None},
                   timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "True", "True"]


def test_without_warmup_nothing_loads_the_model_early():
    result = shell(IMPORT_WSGI, env={"SECRET_KEY": REAL_KEY, "MOOD_WARMUP": None, "DATABASE_URL": None})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False", "False"]


def test_the_makefile_turns_it_on_for_runserver_only():
    from tests.vexora.support import ROOT

    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:"):].split("\n\n")[0]
    assert "MOOD_WARMUP=$${MOOD_WARMUP:-true} $(PY) manage.py runserver" in run
    assert "MOOD_WARMUP" not in makefile[makefile.index("\ntest:"):].split("\n\n")[0]
