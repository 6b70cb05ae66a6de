"""Every answer carries X-Request-ID, and every log line a request causes carries the same id: a
sane incoming id (from the proxy or the client) is kept, anything else replaced by a random one."""

import json
import logging
import re

import pytest

from vexora.logs import JsonFormatter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.vexora.urls_faults")]
RANDOM_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize("path", ["/api/v1/user", "/api/v1/nowhere", "/login/", "/healthz"])
def test_every_answer_has_a_fresh_request_id(client, path):
    first, second = client.get(path), client.get(path)

    assert RANDOM_ID.match(first["X-Request-ID"]) and RANDOM_ID.match(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize("incoming", ["3f2a9c1e7b6d4a5f8e0c1b2a3d4e5f60", "client-trace.42:7", "a" * 128])
def test_a_sane_incoming_id_is_kept(client, incoming):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "a" * 129, "two words", "<script>", "-starts-with-dash", "id\u00e9"])
def test_anything_else_is_replaced(client, incoming):
    assert RANDOM_ID.match(client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"])


def test_log_lines_of_a_request_carry_its_id(caplog):
    from django.test import Client

    with caplog.at_level(logging.ERROR):
        response = Client(raise_request_exception=False).get("/api/v1/test/boom", HTTP_X_REQUEST_ID="trace-me-1")

    assert response.status_code == 500 and response["X-Request-ID"] == "trace-me-1"
    logged = [json.loads(JsonFormatter().format(record)) for record in caplog.records
              if record.levelno >= logging.ERROR]
    assert {entry["logger"] for entry in logged} == {"vexora.api", "django.request"}
    assert all(entry["request_id"] == "trace-me-1" for entry in logged)


def test_log_lines_outside_a_request_carry_none(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("vexora.test").info("no request here")

    assert caplog.records[-1].request_id == ""
