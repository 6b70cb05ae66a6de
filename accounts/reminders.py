"""Reminder settings: an opt-in e-mail at a local time of day, and its one-click unsubscribe.

The schedule is kept as one UTC instant per user, ``reminder_due_at`` (the next local
``reminder_time`` in the user's time zone), so the scheduled task reads only the rows that are due
(history.reminders.reminders_send_due sends them). A day gets one reminder at most
(``reminder_last_on``): changing the time after today's reminder moves the next one to tomorrow.

Unsubscribe links carry a signed token (django.core.signing, keyed by SECRET_KEY) naming the user:
anyone holding the e-mail can turn the reminders off, nothing else, and no login is needed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.selectors import user_time_zone
from vexora.errors import InvalidInput

UNSUBSCRIBE_SALT = "vexora.reminders.unsubscribe"
UNSUBSCRIBE_INVALID = gettext_lazy("this unsubscribe link is not valid")
REMINDER_TIME_REQUIRED = gettext_lazy("choose a time for the reminder")


def reminder_next_due(*, user, now: dt.datetime | None = None) -> dt.datetime | None:
    """The next moment (UTC) ``user``'s reminder is due: today's local ``reminder_time`` if it is
    still ahead and today had no reminder yet, else tomorrow's. None when reminders are off.

    Local times that do not exist (a daylight-saving gap) or happen twice are resolved by
    zoneinfo's ``fold=0``: the reminder comes at the first reading of the wall clock."""
    if not user.reminder_enabled or user.reminder_time is None:
        return None
    zone = user_time_zone(user=user)
    now = now or timezone.now()
    today = now.astimezone(zone).date()
    for day in (today, today + dt.timedelta(days=1), today + dt.timedelta(days=2)):
        if user.reminder_last_on is not None and day <= user.reminder_last_on:
            continue
        due = dt.datetime.combine(day, user.reminder_time, tzinfo=zone)
        if due > now:
            return due.astimezone(dt.timezone.utc)
    raise AssertionError("unreachable: one of three consecutive days is always ahead")


def reminder_schedule(*, user, now: dt.datetime | None = None) -> None:
    """Sets ``user.reminder_due_at`` from the settings (does not save)."""
    user.reminder_due_at = reminder_next_due(user=user, now=now)


@transaction.atomic
def reminder_settings_update(*, user, enabled: bool | None = None, time: dt.time | None = None):
    """Turns the reminder on or off and/or sets its local time (``time``, minutes precision).
    Turning it on needs a time (given now or set before): InvalidInput otherwise."""
    if time is not None:
        user.reminder_time = time.replace(second=0, microsecond=0)
    if enabled is not None:
        user.reminder_enabled = bool(enabled)
    if user.reminder_enabled and user.reminder_time is None:
        raise InvalidInput(REMINDER_TIME_REQUIRED, errors={"reminder_time": [REMINDER_TIME_REQUIRED]})
    reminder_schedule(user=user)
    user.save(update_fields=["reminder_enabled", "reminder_time", "reminder_due_at"])
    return user


def reminder_unsubscribe_token(*, user) -> str:
    """The token of ``user``'s unsubscribe link (stable: every reminder carries the same one)."""
    return signing.dumps({"u": user.uuid.hex}, salt=UNSUBSCRIBE_SALT, compress=True)


def reminder_token_user(*, token: str):
    """The user an unsubscribe token names (changes nothing). InvalidInput for a token that was
    not made here (or was made with another SECRET_KEY) or whose account no longer exists."""
    try:
        payload = signing.loads(str(token), salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise InvalidInput(UNSUBSCRIBE_INVALID) from None
    uuid_hex = payload.get("u") if isinstance(payload, dict) else None
    user = get_user_model().objects.filter(uuid=uuid_hex).first() if isinstance(uuid_hex, str) else None
    if user is None:
        raise InvalidInput(UNSUBSCRIBE_INVALID)
    return user


def reminder_unsubscribe(*, token: str):
    """Turns off the reminders of the user the token names (reminder_token_user); returns that
    user. Idempotent: an already-off reminder stays off."""
    user = reminder_token_user(token=token)
    if user.reminder_enabled:
        user.reminder_enabled = False
        user.reminder_due_at = None
        user.save(update_fields=["reminder_enabled", "reminder_due_at"])
    return user
