# Two commands do everything on a fresh machine:
#   make run   - set up (venv, packages, database, music catalog) and serve on http://127.0.0.1:8000
#   make test  - set up, then run the whole test suite
#   make test-fast - the edit-test loop: the suite without the slow tests (training, catalog, browser)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PYTHON_ANY := $(shell command -v $(PYTHON) || command -v python3)
# A stamp per requirements set: `make run` installs the app's packages only, `make test` adds the
# test tools (requirements-dev.txt); either re-installs only when its files change.
APP_STAMP := $(VENV)/.installed-app-$(shell cat requirements.txt | md5sum | cut -c1-12)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PIP := $(PY) -m pip install --disable-pip-version-check -q
I18N_IGNORE := --ignore '.venv' --ignore 'tests' --ignore 'staticfiles' --ignore 'media' --ignore 'test-artifacts' --ignore 'docs'

.PHONY: run test test-fast setup install install-dev env-key venv migrate clean bench messages translations

venv:
	@command -v $(PYTHON) >/dev/null 2>&1 || test -x $(PY) || { echo "Python 3.11 is required (set PYTHON=...)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)

$(APP_STAMP): requirements.txt | venv
	$(PIP) -r requirements.txt
	@rm -f $(VENV)/.installed-app-* $(VENV)/.installed-[0-9a-f]*
	@touch $(APP_STAMP)

$(DEV_STAMP): requirements.txt requirements-dev.txt | venv
	$(PIP) -r requirements-dev.txt
	@rm -f $(VENV)/.installed-app-* $(VENV)/.installed-dev-* $(VENV)/.installed-[0-9a-f]*
	@touch $(APP_STAMP) $(DEV_STAMP)

# A random SECRET_KEY in the git-ignored .env, written once: the app refuses to start without a
# real key, and the embedded default needs no configuration. An exported SECRET_KEY wins over it.
env-key:
	@grep -qs '^SECRET_KEY=.' .env || { \
	  printf 'SECRET_KEY=%s\n' "$$($(PYTHON_ANY) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env; \
	  echo "wrote a random SECRET_KEY to .env"; }

install: $(APP_STAMP) env-key messages

install-dev: $(DEV_STAMP) env-key messages

# The translation catalogues (locale/*/LC_MESSAGES/*.po) compiled to the .mo files Django reads
# (git-ignored); compilemessages skips a catalogue whose .mo is newer. Needs GNU gettext (msgfmt).
messages: | venv
	@command -v msgfmt >/dev/null 2>&1 || { echo "GNU gettext is required (msgfmt): apt-get install gettext"; exit 1; }
	@$(PY) manage.py compilemessages --ignore '.venv' --verbosity 0

# After changing text in code or templates: refresh the catalogues, translate the new entries
# (tests/vexora/test_translations.py fails until every entry is translated), then `make messages`.
translations: install
	$(PY) manage.py makemessages --locale id --add-location file $(I18N_IGNORE)
	$(PY) manage.py makemessages --locale id --add-location file --domain djangojs $(I18N_IGNORE)

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_app
	$(PY) manage.py collectstatic --noinput --verbosity 0

# MOOD_WARMUP: the server loads the mood model as it starts (in the background), not at the first scan.
run: setup
	MOOD_WARMUP=$${MOOD_WARMUP:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

bench: setup
	$(PY) manage.py bench_mood
	$(PY) manage.py bench_recommend
	$(PY) manage.py bench_search

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache test-artifacts
