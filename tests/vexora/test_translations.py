"""The Bahasa Indonesia catalogues are complete: every text the code and templates mark for
translation (refreshed by makemessages from a copy of the sources, as `make translations` does)
has a translation that is neither empty nor fuzzy and keeps the original's placeholders, and the
compiled catalogue is what pages read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
LANGUAGE = "id"
DOMAINS = ("django", "djangojs")
# What makemessages reads: the apps, the templates and the scripts (no data, weights or tests).
SOURCES = ("accounts", "history", "moods", "music", "vexora", "templates", "static", "locale", "manage.py")
NOT_SOURCES = shutil.ignore_patterns("__pycache__", "data", "*.gz", "*.png", "*.jpg", "*.svg", "*.mo", "*.pt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> dict[str, polib.POFile]:
    """The catalogues as makemessages leaves them after reading a copy of today's sources."""
    copy = tmp_path_factory.mktemp("sources")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=NOT_SOURCES)
        else:
            shutil.copy2(source, copy / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vexora.settings", "DEBUG": "true",
           "SECRET_KEY": "translations-test-key-not-used-for-anything-else"}
    for domain in DOMAINS:
        subprocess.run([sys.executable, "manage.py", "makemessages", "--locale", LANGUAGE, "--domain", domain,
                        "--add-location", "file", "--ignore", "static/vendor"],
                       cwd=copy, env=env, check=True, capture_output=True, timeout=300)
    catalogues = {}
    for domain in DOMAINS:
        path = copy / "locale" / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
        catalogues[domain] = polib.pofile(str(path)) if path.exists() else polib.POFile()
    return catalogues


def _shown(entries) -> str:
    return "\n".join(f"  {entry.msgid!r} ({', '.join(sorted({f for f, _ in entry.occurrences}))})" for entry in entries)


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_text_has_a_translation(refreshed, domain):
    catalogue = refreshed[domain]
    missing = [entry for entry in catalogue if not entry.obsolete and not entry.translated()]
    assert not missing, (f"{len(missing)} text(s) without a Bahasa Indonesia translation in "
                         f"locale/{LANGUAGE}/LC_MESSAGES/{domain}.po (run `make translations`, translate, "
                         f"`make messages`):\n{_shown(missing)}")


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_their_placeholders(refreshed, domain):
    broken = []
    for entry in refreshed[domain]:
        if entry.obsolete or not entry.translated():
            continue
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        if any(sorted(PLACEHOLDER.findall(form)) != wanted for form in forms):
            broken.append(entry)
    assert not broken, f"translations that lose or add a placeholder:\n{_shown(broken)}"


def test_the_catalogue_in_the_repository_is_current(refreshed):
    """A text changed in a template but not refreshed in the catalogue would show in English."""
    shipped = polib.pofile(str(ROOT / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"))
    shipped_ids = {entry.msgid for entry in shipped if not entry.obsolete and entry.translated()}
    needed = {entry.msgid for entry in refreshed["django"] if not entry.obsolete}
    assert not needed - shipped_ids, f"run `make translations`: {sorted(needed - shipped_ids)[:20]}"


def test_pages_read_the_compiled_catalogue():
    with translation.override(LANGUAGE):
        assert translation.gettext("Neutral (calm)") == "Netral (tenang)"
    with translation.override("en"):
        assert translation.gettext("Neutral (calm)") == "Neutral (calm)"
