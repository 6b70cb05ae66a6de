"""LOG_FORMAT=json: one JSON object per line with time, level, logger, message, the request id,
the fields given with ``extra=`` and the traceback of an exception."""

import json
import logging

from vexora.logs import JsonFormatter


def _line(record: logging.LogRecord) -> dict:
    text = JsonFormatter().format(record)
    assert "\n" not in text
    return json.loads(text)


def _record(message="hello %s", args=("world",), **attrs) -> logging.LogRecord:
    record = logging.getLogger("vexora.test").makeRecord("vexora.test", logging.WARNING, __file__, 1, message, args,
                                                         None)
    for key, value in attrs.items():
        setattr(record, key, value)
    return record


def test_a_line_is_one_json_object_with_the_fields_and_the_request_id():
    entry = _line(_record(request_id="abc123", job="42", seconds=1.5))

    assert entry["message"] == "hello world" and entry["level"] == "WARNING" and entry["logger"] == "vexora.test"
    assert entry["request_id"] == "abc123"
    assert entry["job"] == "42" and entry["seconds"] == 1.5
    assert entry["time"].endswith("+00:00") and isinstance(entry["process"], int)
    assert "args" not in entry and "msg" not in entry and "levelno" not in entry


def test_a_line_without_a_request_has_no_request_id_and_odd_values_become_text():
    entry = _line(_record("a quote \" and a newline\n", (), request_id="", thing=object()))

    assert "request_id" not in entry
    assert entry["message"] == "a quote \" and a newline\n"
    assert entry["thing"].startswith("<object object")


def test_an_exception_adds_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = _record(exc_info=sys.exc_info())
    entry = _line(record)

    assert "ValueError: broken" in entry["exception"] and "Traceback" in entry["exception"]
