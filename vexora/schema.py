"""The OpenAPI schema (drf-spectacular) describes what the server does: every answer inside the
envelope, the error answers each operation can give, and minLength on text that must not be blank.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ENVELOPE_FIELDS = ("success", "shouldNotify", "message", "data")
ERROR_REF = {"$ref": "#/components/schemas/ErrorEnvelope"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: success is false; validation errors list problems per field in errors.",
    "required": list(ENVELOPE_FIELDS),
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "shouldNotify": {"type": "boolean"},
        "message": {"type": "string"},
        "data": {"nullable": True},
        "errors": {"type": "object", "additionalProperties": {}},
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input (the message says which field and why)",
    "401": "No valid access token",
    "404": "Not found, or not yours",
    "405": "Method not allowed",
    "413": "The upload is too large",
    "415": "Unsupported media type",
    "429": "Too many requests (Retry-After says when to try again)",
    "502": "An external service (Spotify, ImageKit, mail) failed",
    "503": "A shared service (database, cache, model) is unavailable (Retry-After)",
}


class VexoraAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema; text fields that refuse blank strings say minLength 1."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (isinstance(field, serializers.CharField) and not getattr(field, "allow_blank", True)
                and not field.read_only and schema.get("type") == "string" and "minLength" not in schema):
            schema["minLength"] = 1
        return schema


FREE_FORM = {"type": "object", "additionalProperties": {}}


def _wrap(schema: dict | None) -> dict:
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    if {"success", "message"} <= set(properties):  # paginated lists are enveloped already
        return schema
    if not schema or schema == FREE_FORM:  # no serializer: data is null or a small object
        schema = {"description": "null, or an object described in the operation"}
    return {
        "type": "object",
        "required": list(ENVELOPE_FIELDS),
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "shouldNotify": {"type": "boolean"},
            "message": {"type": "string"},
            "data": schema,
        },
    }


def envelope_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: success answers wrapped in the envelope; the error answers every
    operation can give (by what it takes: a token, a path id, a body, an upload) added."""
    result.setdefault("components", {}).setdefault("schemas", {})["ErrorEnvelope"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, response in list(responses.items()):
                if not str(status).startswith("2"):
                    continue
                content = response.setdefault("content", {"application/json": {}})
                for media_type, media in content.items():
                    if media_type == "application/json":  # a file download (a zip) is not wrapped
                        media["schema"] = _wrap(media.get("schema"))
            # 401: a bad token or bad credentials; 404: an id that is not the caller's, a page past
            # the end of a list, a track id the catalog does not know.
            codes = ["400", "401", "404", "405", "429", "503"]
            body = operation.get("requestBody", {}).get("content", {})
            if body:
                codes += ["413", "415"]
            if "multipart/form-data" in body or path.endswith(("send-otp", "register", "/user")):
                codes.append("502")
            for code in codes:
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code],
                                            "content": {"application/json": {"schema": ERROR_REF}}})
    return result
