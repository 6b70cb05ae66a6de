"""Project-level views: the probes.

- ``/healthz`` (liveness): the process is up and serving; touches nothing else, so a database or
  Redis outage never gets healthy processes restarted.
- ``/readyz`` (readiness): this process can serve every request now: the database answers with our
  schema, the cache answers, the broker answers (when one is configured), and the mood model is
  loaded here (``MOOD_INFERENCE=inline``) or the transit Redis to the inference workers answers
  (``worker``). A proxy or orchestrator sends traffic only to ready processes.
"""

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.http import JsonResponse

from vexora.api import envelope_body

logger = logging.getLogger(__name__)


class NotReady(RuntimeError):
    state = "error"


class SchemaMissing(NotReady):
    state = "schema missing"


class ModelNotLoaded(NotReady):
    state = "not loaded"


def _check(probe) -> str:
    try:
        probe()
    except NotReady as exc:
        logger.warning("readiness check failed: %s", exc)
        return exc.state
    except Exception as exc:  # a health check reports faults, it never raises them
        logger.warning("readiness check failed: %s: %s", type(exc).__name__, exc)
        return "error"
    return "ok"


@functools.cache
def _expected_migrations() -> tuple[tuple[str, str], ...]:
    """The newest migration of every app (read from the code once per process)."""
    return tuple(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def _database():
    """The database answers (within the connect and statement timeouts) and holds our tables:
    the newest migration of every app is applied."""
    expected = _expected_migrations()
    query = Q()
    for app, name in expected:
        query |= Q(app=app, name=name)
    try:
        applied = MigrationRecorder(connection).migration_qs.filter(query).count()
    except Exception as exc:
        if MigrationRecorder.Migration._meta.db_table not in str(exc):
            raise
        raise SchemaMissing("no migrations table: run `manage.py migrate`") from None
    if applied != len(expected):
        raise SchemaMissing(f"{len(expected) - applied} migration(s) not applied: run `manage.py migrate`")


def _cache():
    cache.set("readyz", "1", 10)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _broker():
    from vexora.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)


def _model():
    from moods.inference import model_loaded

    if not model_loaded():
        raise ModelNotLoaded("the mood model is not loaded in this process")


def _transit():
    from moods.inference import transit_client

    transit_client(settings.MOOD_INFERENCE_REDIS_URL, settings.MOOD_INFERENCE_TIMEOUT).ping()


def healthz(request):
    """Liveness: 200 while the process answers at all."""
    return JsonResponse(envelope_body(message="alive", data={"process": "ok"}), status=200)


def readyz(request):
    """200 when every part this process needs answers; 503 naming the parts that do not
    (``"database": "error"`` or ``"schema missing"``, ``"cache": "error"``, ``"model": "not loaded"``,
    ...)."""
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check(_broker)
    if settings.MOOD_INFERENCE == "inline":
        checks["model"] = _check(_model)
    else:
        checks["inference"] = _check(_transit)
    ready = all(value == "ok" for value in checks.values())
    down = [name for name, value in checks.items() if value != "ok"]
    message = "ready" if ready else f"not ready: {', '.join(down)} unavailable"
    body = envelope_body(message=message, data=checks, success=ready)
    return JsonResponse(body, status=200 if ready else 503)
