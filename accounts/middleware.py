"""Pages show times in the signed-in person's time zone (accounts.selectors.user_time_zone) and
speak their stored language (vexora.i18n)."""

from django.conf import settings
from django.utils import timezone, translation

from accounts.selectors import user_time_zone
from vexora.api import API_PREFIX
from vexora.faults import fault_status
from vexora.i18n import language_supported


def time_zone_exempt(view):
    """Marks a view that shows no one's times and must not read the session (a public, cacheable
    answer: reading the session would add ``Vary: Cookie``)."""
    view.time_zone_exempt = True
    return view


class UserLocaleMiddleware:
    """Activates the signed-in user's time zone (templates' dates and times) and stored language
    for a page request; API answers keep UTC timestamps and English, and views marked with :func:`time_zone_exempt` are left
    alone. When the session or the user cannot be read (the database is down), nothing is
    activated here: the view meets the same fault and answers it (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only a request with a session can be signed in: without the cookie the session is never
        # read. With one, a public answer (the cover artwork) is exempt, so it stays cacheable.
        if (request.path.startswith(API_PREFIX) or settings.SESSION_COOKIE_NAME not in request.COOKIES
                or getattr(view_func, "time_zone_exempt", False)):
            return None
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                timezone.activate(user_time_zone(user=user))
                if language_supported(user.language):
                    translation.activate(user.language)
                    request.LANGUAGE_CODE = user.language
        except Exception as exc:
            if fault_status(exc) is None:
                raise
        return None
