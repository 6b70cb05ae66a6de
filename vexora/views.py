"""Project-level views: the health check."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from vexora.api import envelope_body

logger = logging.getLogger(__name__)


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a health check reports faults, it never raises them
        logger.warning("health check failed: %s", exc)
        return "error"
    return "ok"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return what was stored")


def healthz(request):
    """200 when the database and the cache answer, 503 when either does not."""
    checks = {"database": _check(_database), "cache": _check(_cache)}
    healthy = all(value == "ok" for value in checks.values())
    body = envelope_body(message="healthy" if healthy else "unhealthy", data=checks, success=healthy)
    return JsonResponse(body, status=200 if healthy else 503)
