"""How infrastructure faults degrade, in one place (docs: README "When something fails").

- The shared cache (Redis) unreachable: what needs it (one-time codes) answers 503 with Retry-After;
  throttles count in the process's own memory meanwhile (``resilient_cache``), with a warning.
- The database unreachable or too slow (connect/statement timeouts in settings): 503 with Retry-After.
- Input the database cannot take (a NUL character, a number out of range): 400, never a 500.
Recovery needs no restart: every request tries the shared services again.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DataError, InterfaceError, OperationalError

logger = logging.getLogger("vexora.faults")

CACHE_DOWN = "a shared service is temporarily unavailable, please try again shortly"
DATABASE_DOWN = "the database is temporarily unavailable, please try again shortly"
BAD_INPUT = "the request contains a value that cannot be stored"

# Input the database refuses (PostgreSQL: NUL in text, values out of range) is the client's fault.
BAD_INPUT_ERRORS = (DataError,)
DATABASE_ERRORS = (OperationalError, InterfaceError)


def cache_errors() -> tuple[type[BaseException], ...]:
    """What the cache and the task queue's clients raise when their server cannot be reached."""
    found: list[type[BaseException]] = [ConnectionError, TimeoutError]
    try:
        from django_redis.exceptions import ConnectionInterrupted
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        found += [ConnectionInterrupted, RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover - django-redis is a requirement
        pass
    try:
        from kombu.exceptions import OperationalError as BrokerError  # the task queue's broker

        found.append(BrokerError)
    except ImportError:  # pragma: no cover - celery is a requirement
        pass
    return tuple(found)


CACHE_ERRORS = cache_errors()


def fault_status(exc: BaseException) -> tuple[int, str, int | None] | None:
    """(status, message, retry_after) for an infrastructure fault or input the database refused;
    None for anything else."""
    if isinstance(exc, BAD_INPUT_ERRORS):
        return 400, BAD_INPUT, None
    if isinstance(exc, DATABASE_ERRORS):
        logger.error("database unavailable: %s", exc)
        return 503, DATABASE_DOWN, settings.CACHE_RETRY_AFTER_SECONDS
    if isinstance(exc, CACHE_ERRORS):
        logger.error("cache unavailable: %s", exc)
        return 503, CACHE_DOWN, settings.CACHE_RETRY_AFTER_SECONDS
    return None


class ResilientCache:
    """The default cache for throttles, falling back to the ``process`` cache (this process's memory)
    while the shared cache cannot be reached. Warns at most once a minute per process."""

    warn_every_seconds = 60.0

    def __init__(self):
        self._last_warning = 0.0

    def _fallback(self, exc: BaseException):
        now = time.monotonic()
        if now - self._last_warning >= self.warn_every_seconds:
            self._last_warning = now
            logger.warning("shared cache unavailable (%s): throttles count per process", type(exc).__name__)
        return caches["process"]

    def get(self, key, default=None):
        try:
            return caches["default"].get(key, default)
        except CACHE_ERRORS as exc:
            return self._fallback(exc).get(key, default)

    def set(self, key, value, timeout=None):
        try:
            return caches["default"].set(key, value, timeout)
        except CACHE_ERRORS as exc:
            return self._fallback(exc).set(key, value, timeout)


resilient_cache = ResilientCache()
