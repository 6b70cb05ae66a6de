"""Every answer under /api/ is the envelope, whatever went wrong."""

import json
import logging

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.vexora.urls_faults")]


def _envelope(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"success", "shouldNotify", "message", "data"}
    assert body["success"] is (status < 400)
    return body


def test_success_is_wrapped(api_client):
    body = _envelope(api_client.post("/api/v1/test/echo", {"name": "ab", "count": 2}, format="json"), 200)
    assert body == {"success": True, "shouldNotify": False, "message": "echo", "data": {"name": "ab", "count": 2}}


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_path_is_a_404_envelope(api_client, settings, debug):
    settings.DEBUG = debug
    body = _envelope(api_client.get("/api/v1/does-not-exist"), 404)
    assert body["message"] == "not found"


def test_validation_errors_list_each_field(api_client):
    body = _envelope(api_client.post("/api/v1/test/echo", {"name": "toolong", "count": 0}, format="json"), 400)
    assert set(body["errors"]) == {"name", "count"}
    assert body["message"].startswith("name: ")
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)


def test_malformed_json_is_a_400(api_client):
    response = api_client.generic("POST", "/api/v1/test/echo", "{not json", content_type="application/json")
    assert _envelope(response, 400)["message"] == "malformed request body"


def test_unsupported_content_type_is_a_415(api_client):
    response = api_client.generic("POST", "/api/v1/test/echo", "name=a", content_type="text/plain")
    assert "unsupported media type" in _envelope(response, 415)["message"]


def test_wrong_method_is_a_405(api_client):
    assert _envelope(api_client.get("/api/v1/test/echo"), 405)["message"] == "method GET not allowed"


def test_body_over_the_limit_is_a_413(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = json.dumps({"name": "a", "count": 1, "pad": "x" * 5000})
    response = api_client.generic("POST", "/api/v1/test/echo", payload, content_type="application/json")
    _envelope(response, 413)


@pytest.mark.parametrize("path", ["/api/v1/test/boom", "/api/v1/test/plain-boom"])
def test_crash_is_a_500_without_traceback_and_is_logged(path, caplog, settings):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get(path)
    body = _envelope(response, 500)
    assert body["message"] == "internal server error"
    assert b"secret detail" not in response.content and b"Traceback" not in response.content
    assert any("secret detail" in (r.exc_text or "") or (r.exc_info and "secret detail" in str(r.exc_info[1]))
               for r in caplog.records)


def test_readyz_reports_database_cache_and_model(client):
    from moods.inference import model_get

    model_get()
    body = _envelope(client.get("/readyz"), 200)
    assert body["data"] == {"database": "ok", "cache": "ok", "model": "ok"}


def test_healthz_says_the_process_is_alive(client):
    assert _envelope(client.get("/healthz"), 200)["data"] == {"process": "ok"}


def test_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger" in html.lower() and "cdn" not in html.lower() and "//unpkg" not in html
