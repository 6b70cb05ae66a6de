"""Helpers shared by the HTML views (the pages): domain errors shown next to form fields or as
flash messages, the API's throttles applied to the pages too, NotFound as the 404 page, safe
``next`` redirects. Views stay thin: they call services and selectors and use these to answer."""

from __future__ import annotations

import math
from types import SimpleNamespace

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vexora.api import API_PREFIX, ScopedAccountThrottle, ScopedIPThrottle, ScopedUserThrottle
from vexora.errors import DomainError, NotFound, TooManyRequests


def sentence(message: str) -> str:
    """``"invalid or expired OTP"`` -> ``"Invalid or expired OTP."``: API messages as page text,
    in the page's language (a lazy message is read in it; a plain one the catalogue knows, such as
    a framework-free module's marked message, is looked up)."""
    message = _(str(message).strip()) if str(message).strip() else ""
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message[-1] in ".!?" else message + "."


def form_error(form, error: DomainError, *, field: str | None = None, fields: dict | None = None) -> None:
    """Put a domain error on ``form``: on the fields its ``errors`` name (``fields`` maps a
    service's field name to the form's), else on ``field``, else above the form. Works on an
    unbound form too (an upload refused before its form could be read)."""
    form.errors  # noqa: B018 (runs the validation once, so add_error can follow)
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    placed = False
    for name, problems in (error.errors or {}).items():
        name = (fields or {}).get(name, name)
        if name in form.fields:
            for problem in problems if isinstance(problems, (list, tuple)) else [problems]:
                form.add_error(name, sentence(problem))
            placed = True
    if not placed:
        form.add_error(field if field in form.fields else None, sentence(error.message))


def throttle(request, scope: str, *, account: str | None = None, per_user: bool = False) -> None:
    """The API's rate limit ``scope`` (settings.THROTTLE_RATES), shared with the API: the same
    counters per client IP (or, ``per_user``, per signed-in user) and, with ``account``, per
    username/email. Raises TooManyRequests, worded in the page's language."""
    view = SimpleNamespace(throttle_scope=scope)
    checks = [(ScopedUserThrottle() if per_user else ScopedIPThrottle(), request)]
    if account and account.strip():
        checks.append((ScopedAccountThrottle(), SimpleNamespace(data={"username": account}, META=request.META)))
    for check, subject in checks:
        if not check.allow_request(subject, view):
            wait = check.wait()
            seconds = max(1, math.ceil(wait)) if wait is not None else None
            text = (_("too many attempts, try again in %(seconds)s seconds") % {"seconds": seconds} if seconds
                    else _("too many attempts, try again later"))
            raise TooManyRequests(text, data={"retry_after": seconds})


def or_404(selector, **kwargs):
    """Call a selector; its NotFound (another user's or an unknown id) becomes the 404 page."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None


def next_url(request, default: str) -> str:
    """The ``next`` parameter when it points into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def wants_json(request) -> bool:
    """A fetch() from our own scripts (they send ``X-Requested-With: fetch``)."""
    return request.headers.get("X-Requested-With") == "fetch"


class PageForm(forms.Form):
    """Base of the pages' forms: labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def form_status(request, *forms) -> int:
    """400 when a form has errors, else 200. Each error is said once, next to its field (or above
    its form); the first field with an error gets the focus, so the page opens where it is."""
    for form in forms:
        if form is None or not form.errors:
            continue
        field = next((name for name in form.errors if name in form.fields), None)
        if field is not None:
            form.fields[field].widget.attrs["autofocus"] = True
        return 400
    return 200


class MethodNotAllowedPageMiddleware:
    """A page address opened with a method it does not take (GET /logout/ from a bookmark, a
    reload or a shared link) answers a page saying so, with a way on, instead of an empty 405.
    The ``Allow`` header is kept; the API's 405 is its JSON envelope (vexora.api)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith(API_PREFIX) or response.content:
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
