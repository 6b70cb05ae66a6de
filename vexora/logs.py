"""Structured logs: one JSON object per line (LOG_FORMAT=json, the default), for the app, Celery and
gunicorn alike. Standard library only, so gunicorn's master process can use it before Django starts.

    {"time": "2026-12-01T10:00:00.123+00:00", "level": "WARNING", "logger": "vexora.faults",
     "message": "cache unavailable: ...", "request_id": "6f1c...", "process": 12}

Fields passed with ``extra=`` are added as they are; an exception adds ``exception`` (the traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# Attributes every LogRecord has: not "extra" fields.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "taskName"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        # django.request logs a failed request after the request's own context has ended: its
        # ``request`` (passed with extra=) still knows the id.
        request_id = getattr(record, "request_id", "") or getattr(getattr(record, "request", None), "request_id", "")
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
