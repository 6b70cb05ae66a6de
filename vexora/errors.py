"""Domain errors: raised by services and selectors, mapped to the API envelope (vexora.api) and to
flash messages (HTML views). Plain Python, so services stay free of HTTP concerns."""

from __future__ import annotations


def _(text: str) -> str:
    """Marks ``text`` for the translation catalogue; pages translate it where they show it
    (vexora.web.sentence). This module stays free of Django."""
    return text


class DomainError(Exception):
    status = 400
    should_notify = True
    default_message = _("bad request")

    def __init__(self, message: str | None = None, *, errors: dict | None = None, data=None):
        # A lazily translated message (a service's constant) is read now, in the language of the
        # request raising it (English for the API, the page's on a page): from here on it is text.
        self.message = str(message or self.default_message)
        self.errors = _texts(errors) if errors else errors
        self.data = data
        super().__init__(self.message)


def _texts(errors: dict) -> dict:
    return {field: [str(problem) for problem in problems] if isinstance(problems, (list, tuple)) else str(problems)
            for field, problems in errors.items()}


class InvalidInput(DomainError):
    status = 400
    default_message = _("invalid input")


class NotAuthenticated(DomainError):
    status = 401
    default_message = _("authentication required")


class Forbidden(DomainError):
    status = 403
    default_message = _("you do not have permission to do this")


class NotFound(DomainError):
    status = 404
    default_message = _("not found")


class PayloadTooLarge(DomainError):
    status = 413
    default_message = _("the upload is too large")


class UnsupportedMediaType(DomainError):
    status = 415
    default_message = _("unsupported file type")


class TooManyRequests(DomainError):
    status = 429
    default_message = _("too many requests, try again later")


class UpstreamError(DomainError):
    """A third-party service (ImageKit, Spotify, SMTP) failed; nothing of ours was changed."""

    status = 502
    default_message = _("an external service failed, please try again later")


class ServiceUnavailable(DomainError):
    status = 503
    default_message = _("the service is temporarily unavailable, please try again later")


def mood_checked(mood) -> str:
    """``mood`` as one of vexora.moods.MOODS (case and surrounding spaces ignored), else InvalidInput."""
    from vexora.moods import MOODS

    value = mood.strip().lower() if isinstance(mood, str) else mood
    if value not in MOODS:
        raise InvalidInput(f"unknown mood: choose one of {', '.join(MOODS)}",
                           errors={"mood": [f"choose one of {', '.join(MOODS)}"]})
    return value


def strategy_checked(strategy) -> str:
    """``strategy`` if it is one of vexora.moods.STRATEGIES (exact spelling), else InvalidInput."""
    from vexora.moods import STRATEGIES

    if strategy not in STRATEGIES:
        raise InvalidInput(f"unknown strategy: choose one of {', '.join(STRATEGIES)}",
                           errors={"strategy": [f"choose one of {', '.join(STRATEGIES)}"]})
    return strategy
