"""Project-level views: the health check."""

import functools
import logging

from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.http import JsonResponse

from vexora.api import envelope_body

logger = logging.getLogger(__name__)


class SchemaMissing(RuntimeError):
    pass


def _check(probe) -> str:
    try:
        probe()
    except SchemaMissing as exc:
        logger.warning("health check failed: %s", exc)
        return "schema missing"
    except Exception as exc:  # a health check reports faults, it never raises them
        logger.warning("health check failed: %s: %s", type(exc).__name__, exc)
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
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return what was stored")


def healthz(request):
    """200 when the database (with our schema) and the cache answer; 503 naming the part that does
    not ("database": "error" / "cache": "error")."""
    checks = {"database": _check(_database), "cache": _check(_cache)}
    healthy = all(value == "ok" for value in checks.values())
    down = [name for name, value in checks.items() if value != "ok"]
    message = "healthy" if healthy else f"unhealthy: {', '.join(down)} unavailable"
    body = envelope_body(message=message, data=checks, success=healthy)
    return JsonResponse(body, status=200 if healthy else 503)
