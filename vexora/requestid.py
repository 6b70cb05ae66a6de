"""One id per request, in every log line the request causes and in the answer's ``X-Request-ID``
header (gunicorn's access log reads it from there).

A sane incoming ``X-Request-ID`` (from the proxy, or a client tracing its own calls: 1-128 letters,
digits and ``-_.:``) is kept, so one id follows a request through the proxy and the app; anything
else is replaced by a fresh random one.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def request_id_for(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new random one (32 hex digits)."""
    if incoming and _SANE.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later middleware, view and log line sees ``request.request_id``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.META.get(_META_KEY))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[HEADER] = request_id
        return response


def log_records_carry_request_id() -> None:
    """Every log record made from now on carries ``request_id`` (empty outside a request), whatever
    handler it reaches (called once from VexoraConfig.ready)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "_adds_request_id", False):
        return

    def factory(*args, **kwargs):
        record = current(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    factory._adds_request_id = True
    logging.setLogRecordFactory(factory)


class RequestIdFilter(logging.Filter):
    """For handlers that format ``%(request_id)s``: records made before Django was ready have none."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True
