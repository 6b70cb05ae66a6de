"""The API envelope and everything that keeps every /api/ answer inside it.

Every response is ``{"success", "shouldNotify", "message", "data"}`` (validation errors add
``errors``, paginated lists add ``meta``). Three layers make sure of it:
- views answer through :func:`envelope` / :func:`paginated_envelope`;
- DRF exceptions and domain errors go through :func:`exception_handler`;
- :class:`ApiErrorMiddleware` turns anything else under /api/ (Django's own 404/413/400 pages,
  exceptions outside DRF) into the envelope, so no HTML page or traceback reaches a client.
"""

from __future__ import annotations

import hashlib
import logging
import math

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers
from rest_framework import status as http
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from vexora import errors
from vexora.faults import fault_status, resilient_cache

logger = logging.getLogger("vexora.api")

API_PREFIX = "/api/"
NUL_REFUSED = "text must not contain NUL characters"

STATUS_MESSAGES = {
    400: "bad request",
    401: "authentication required",
    403: "you do not have permission to do this",
    404: "not found",
    405: "method not allowed",
    406: "not acceptable",
    413: "the upload is too large",
    415: "unsupported media type",
    429: "too many requests, try again later",
    500: "internal server error",
    502: "an external service failed, please try again later",
    503: "the service is temporarily unavailable, please try again later",
}


def envelope_body(*, message: str, data=None, success: bool = True, should_notify: bool = False, **extra) -> dict:
    body = {"success": success, "shouldNotify": should_notify, "message": message, "data": data}
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def envelope(message: str, data=None, *, status: int = 200, should_notify: bool = False, **extra) -> Response:
    return Response(
        envelope_body(message=message, data=data, success=status < 400, should_notify=should_notify, **extra),
        status=status,
    )


def error_response(status: int, message: str | None = None, *, errors=None, data=None, headers=None) -> Response:
    body = envelope_body(message=message or STATUS_MESSAGES.get(status, "error"), data=data, success=False,
                         should_notify=True, errors=errors)
    return Response(body, status=status, headers=headers)


# --- Validation errors ----------------------------------------------------------------------
def _flatten(detail) -> dict | list:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [str(item) if not isinstance(item, (dict, list)) else _flatten(item) for item in detail]
    return [str(detail)]


def _first_message(errs) -> str:
    """A one-line summary for ``message``: '<field>: <first problem>'."""
    if isinstance(errs, dict):
        for key, value in errs.items():
            inner = _first_message(value)
            if key in ("non_field_errors", "detail"):
                return inner
            return f"{key}: {inner}"
    if isinstance(errs, list) and errs:
        return _first_message(errs[0])
    return str(errs)


def validation_error_response(detail) -> Response:
    errs = _flatten(detail)
    if isinstance(errs, list):
        errs = {"non_field_errors": errs}
    return error_response(400, _first_message(errs), errors=errs)


def input_valid(serializer_class, data) -> dict:
    """The validated data of an input serializer, else a 400 envelope. Text fields take text only:
    DRF would turn a JSON number or list into a string, which the schema does not promise."""
    serializer = serializer_class(data=data)
    if hasattr(data, "items") and not hasattr(data, "getlist"):  # JSON (form data is always text)
        wrong = {name: ["must be a string"] for name, field in serializer.fields.items()
                 if isinstance(field, serializers.CharField) and not field.read_only
                 and data.get(name) is not None and not isinstance(data.get(name), str)}
        if wrong:
            raise drf_exceptions.ValidationError(wrong)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Exception handler ----------------------------------------------------------------------
def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception raised in a DRF view becomes the envelope."""
    if isinstance(exc, errors.DomainError):
        retry_after = exc.data.get("retry_after") if isinstance(exc.data, dict) else None
        headers = {"Retry-After": str(retry_after)} if exc.status in (429, 503) and retry_after else None
        return error_response(exc.status, exc.message, errors=exc.errors, data=exc.data, headers=headers)
    fault = fault_status(exc)
    if fault is not None:
        return _fault_response(*fault)
    if isinstance(exc, drf_exceptions.ValidationError):
        return validation_error_response(exc.detail)
    if isinstance(exc, drf_exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        message = "too many requests, try again later"
        if wait:
            message = f"too many requests, try again in {wait} seconds"
        headers = {"Retry-After": str(wait)} if wait else None
        return error_response(429, message, data={"retry_after": wait}, headers=headers)
    if isinstance(exc, (drf_exceptions.NotAuthenticated, drf_exceptions.AuthenticationFailed)):
        message = "authentication required" if isinstance(exc, drf_exceptions.NotAuthenticated) else _detail_text(
            exc.detail, "invalid or expired token"
        )
        response = error_response(401, message)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, (drf_exceptions.PermissionDenied, PermissionDenied)):
        return error_response(403)
    if isinstance(exc, (drf_exceptions.NotFound, Http404)):
        return error_response(404)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return error_response(405, f"method {context['request'].method} not allowed")
    if isinstance(exc, drf_exceptions.UnsupportedMediaType):
        return error_response(415, f"unsupported media type, send {_accepted(context)}")
    if isinstance(exc, RequestDataTooBig):
        return error_response(413)
    if isinstance(exc, drf_exceptions.ParseError):
        return error_response(400, "malformed request body")
    if isinstance(exc, SuspiciousOperation):
        return error_response(400)
    if isinstance(exc, drf_exceptions.APIException):
        return error_response(exc.status_code, _detail_text(exc.detail, STATUS_MESSAGES.get(exc.status_code)))
    logger.exception("unhandled error in %s", context.get("view").__class__.__name__ if context else "view")
    return error_response(500)


def _fault_response(status: int, message: str, retry_after: int | None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return error_response(status, message, data={"retry_after": retry_after} if retry_after else None,
                          headers=headers)


def _accepted(context) -> str:
    view = context.get("view") if context else None
    types = [p.media_type for p in getattr(view, "parser_classes", [])] or ["application/json"]
    return " or ".join(types)


def _detail_text(detail, fallback) -> str:
    if isinstance(detail, dict):
        detail = detail.get("detail", fallback)
    if isinstance(detail, list):
        detail = detail[0] if detail else fallback
    text = str(detail or fallback)
    return text[:1].lower() + text[1:].rstrip(".")


class ApiErrorMiddleware:
    """Keeps answers under /api/ in the envelope when DRF never saw the request.

    Covers unknown paths (404), bodies over Django's size limit (413), bad Host headers (400),
    and exceptions raised outside DRF's handling (500, traceback logged, never sent).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                          for key, values in request.GET.lists()):
            return self._refused(request, 400, NUL_REFUSED)
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        return _json_error(status, headers={k: v for k, v in response.items() if k in ("Allow", "Retry-After")})

    @staticmethod
    def _refused(request, status: int, message: str, retry_after: int | None = None):
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        if request.path.startswith(API_PREFIX):
            return _json_error(status, headers=headers, message=message)
        response = HttpResponse(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    def process_exception(self, request, exception):
        fault = fault_status(exception)
        if fault is not None:  # pages and API alike: a fault is a 503, refused input a 400
            status, message, retry_after = fault
            return self._refused(request, status, message, retry_after)
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _json_error(413)
        if isinstance(exception, Http404):
            return _json_error(404)
        if isinstance(exception, (SuspiciousOperation, PermissionDenied)):
            return _json_error(400 if isinstance(exception, SuspiciousOperation) else 403)
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return _json_error(500)


def _json_error(status: int, headers: dict | None = None, message: str | None = None) -> JsonResponse:
    body = envelope_body(message=message or STATUS_MESSAGES.get(status, "error"), success=False, should_notify=True)
    response = JsonResponse(body, status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def api_not_found(request, *args, **kwargs):
    """Catch-all for unknown /api/ paths (works whatever DEBUG says)."""
    return _json_error(404)


# --- Pagination -----------------------------------------------------------------------------
class EnvelopePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        """``page_size`` must be 1..100 when given (400 otherwise, as the schema says)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise drf_exceptions.ValidationError({"page_size": [f"must be a whole number from 1 to {self.max_page_size}"]})
        return size

    def get_paginated_response(self, data):  # used by generic list views
        return envelope("success", data, meta=self.meta())

    def meta(self) -> dict:
        return {"page": self.page.number, "page_size": self.get_page_size(self.request),
                "total": self.page.paginator.count, "pages": self.page.paginator.num_pages}

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "success": {"type": "boolean"},
                "shouldNotify": {"type": "boolean"},
                "message": {"type": "string"},
                "data": schema,
                "meta": {"type": "object", "properties": {k: {"type": "integer"} for k in ("page", "page_size",
                                                                                         "total", "pages")}},
            },
        }


def paginated_envelope(*, request, view, queryset, serializer_class, message: str, context: dict | None = None):
    """Paginates ``queryset`` and answers the envelope with ``meta``; bad ``page`` gives 404."""
    paginator = EnvelopePagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context=context or {"request": request}).data
    return envelope(message, data, meta=paginator.meta())


# --- Request bodies ---------------------------------------------------------------------------
class SafeJSONParser(JSONParser):
    """DRF's JSON parser, refusing (400) what would otherwise fail later: nesting deeper than
    Python's recursion limit, and NUL characters in strings (PostgreSQL cannot store them)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise drf_exceptions.ParseError("JSON nested too deeply") from None
        if _has_nul(data):
            raise drf_exceptions.ParseError(NUL_REFUSED)
        return data


def _has_nul(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 64:  # our bodies are flat; anything deeper is refused above or is not text we read
        return False
    if isinstance(value, dict):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item, depth + 1) for item in value)
    return False


# --- Throttles ------------------------------------------------------------------------------
# Throttles count in the shared cache; while it is unreachable they count in this process's memory
# (a per-process limit, logged), so a cache outage never fails a request.
class ResilientAnonRateThrottle(AnonRateThrottle):
    cache = resilient_cache


class ResilientUserRateThrottle(UserRateThrottle):
    cache = resilient_cache


class ScopedIPThrottle(SimpleRateThrottle):
    """Rate per client IP for the view's ``throttle_scope`` (rates in settings.THROTTLE_RATES)."""

    cache = resilient_cache

    def __init__(self):  # the scope is the view's, so rate lookup waits for allow_request
        pass

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        # settings.THROTTLE_RATES is read per request (not DRF's import-time copy), so an
        # override (tests, `override_settings`) takes effect at once. A rate of None: no limit.
        try:
            return settings.THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"no rate for throttle scope {self.scope!r} in settings.THROTTLE_RATES")

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": f"{self.scope}:ip", "ident": self.get_ident(request)}


class ScopedUserThrottle(ScopedIPThrottle):
    """Rate per signed-in user (per IP for anonymous callers) for the view's ``throttle_scope``."""

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return self.cache_format % {"scope": f"{self.scope}:user", "ident": user.pk}
        return super().get_cache_key(request, view)


class ScopedAccountThrottle(ScopedIPThrottle):
    """Rate per account named in the body (username or email): one bucket per account, whichever
    of its names is typed (settings.THROTTLE_ACCOUNT_KEY maps the text to the account's key);
    text naming no account gets a bucket of its own (case-insensitive)."""

    account_fields = ("username", "email")

    def get_cache_key(self, request, view):
        data = request.data  # an unparsable body is refused here (400/415), as the view would
        for field in self.account_fields:
            value = data.get(field) if hasattr(data, "get") else None
            if isinstance(value, str) and value.strip():
                ident = account_key(value, resolve=self.scope in settings.THROTTLE_ACCOUNT_SCOPES)
                return self.cache_format % {"scope": f"{self.scope}:acct", "ident": ident}
        return None


def account_key(identifier: str, *, resolve: bool = True) -> str:
    """A throttle bucket for the account a username or email names (any text -> a safe key)."""
    resolver = import_string(settings.THROTTLE_ACCOUNT_KEY) if resolve and settings.THROTTLE_ACCOUNT_KEY else None
    if "\x00" not in identifier and resolver is not None:
        key = resolver(identifier=identifier.strip())
        if key:
            return f"account-{key}"
    return hashlib.sha256(identifier.strip().lower().encode()).hexdigest()
