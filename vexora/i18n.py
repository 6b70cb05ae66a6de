"""Languages: pages in English or Bahasa Indonesia, the API in English.

A page's language is, in order: the signed-in person's stored choice (accounts.User.language,
applied by accounts.middleware.UserLocaleMiddleware), the switcher's cookie, the browser's
Accept-Language, then settings.LANGUAGE_CODE. Answers under /api/ are always in
settings.API_LANGUAGE: clients match the v1 ``message`` strings, and every answer says so in
``Content-Language``. E-mails and other work done outside a request use the person's language
(:func:`user_language`).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

from vexora.api import API_PREFIX
from vexora.moods import MOOD_LABELS, MOOD_WORDS, STRATEGY_LABELS


def language_supported(language: str | None) -> bool:
    return bool(language) and language in dict(settings.LANGUAGES)


def user_language(user, *, fallback: str | None = None) -> str:
    """The language to write to ``user`` in: their stored choice, else ``fallback`` (e.g. the
    language of the page that asked for a mail), else settings.LANGUAGE_CODE."""
    for language in (getattr(user, "language", ""), fallback):
        if language_supported(language):
            return language
    return settings.LANGUAGE_CODE


@contextmanager
def language_of(user):
    """Renders what is inside (an e-mail, a task's text) in ``user``'s language."""
    with translation.override(user_language(user)):
        yield


def language_cookie_set(response, language: str) -> None:
    """Remembers ``language`` in this browser, as Django's set_language view (the footer's
    switcher) does: the pages keep it after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def mood_label(mood) -> str:
    """"Happy", "Neutral (calm)" in the active language; an unknown mood as it is, capitalised."""
    label = MOOD_LABELS.get(str(mood))
    return translation.gettext(label) if label else str(mood).capitalize()


def mood_word(mood) -> str:
    """The mood inside a sentence: "happy", "calm", in the active language."""
    word = MOOD_WORDS.get(str(mood))
    return translation.gettext(word) if word else str(mood)


def strategy_label(strategy) -> str:
    label = STRATEGY_LABELS.get(str(strategy))
    return translation.gettext(label) if label else str(strategy)


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for pages (cookie, then Accept-Language, with ``Vary``); English
    with ``Content-Language: en`` for the API, whatever the request asks for."""

    def process_request(self, request):
        if request.path.startswith(API_PREFIX):
            translation.activate(settings.API_LANGUAGE)
            request.LANGUAGE_CODE = settings.API_LANGUAGE
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith(API_PREFIX):
            response.headers["Content-Language"] = settings.API_LANGUAGE
            return response
        return super().process_response(request, response)


# The scripts' texts (djangojs catalogue), asked for by every page: the page puts its language in
# the URL (?l=), browsers keep the answer an hour and then revalidate it against this process's
# start (the catalogues change only with a release, which restarts the processes): 304, no rebuild.
_STARTED = timezone.now().replace(microsecond=0)
javascript_catalog = cache_control(max_age=3600)(last_modified(lambda request: _STARTED)(JavaScriptCatalog.as_view()))
