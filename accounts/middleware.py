"""Pages show times in the signed-in person's time zone (accounts.selectors.user_time_zone)."""

from django.conf import settings
from django.utils import timezone

from accounts.selectors import user_time_zone
from vexora.api import API_PREFIX
from vexora.faults import fault_status


class UserTimeZoneMiddleware:
    """Activates the signed-in user's time zone for a page request (templates' dates and times);
    API answers keep UTC timestamps. When the session or the user cannot be read (the database is
    down), nothing is activated here: the view meets the same fault and answers it (503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        # Only a request with a session can be signed in: without the cookie the session is never
        # read (so answers like the cover artwork stay cacheable, with no Vary: Cookie).
        if not request.path.startswith(API_PREFIX) and settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    timezone.activate(user_time_zone(user=user))
            except Exception as exc:
                if fault_status(exc) is None:
                    raise
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
