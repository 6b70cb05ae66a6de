"""Sending the opt-in daily reminders (their settings and schedule: accounts.reminders).

Run every few minutes (the Celery beat task history.tasks.reminders_send, or the management
command ``send_reminders``): every user whose ``reminder_due_at`` has passed is handled once. The
row is claimed with a conditional update (its due time moves to the next day), so two runs, two
workers or a redelivered task never send the same reminder twice; a reminder lost with a worker
that died after the claim is not sent again (at most one a day, never two).

No reminder is sent on a day the person has already checked in (a reading that local day), none
to an unverified address, and none more than REMINDER_LATE_MINUTES late (the schedulers were down):
a reminder at the wrong time is worse than none.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy

from accounts.reminders import reminder_next_due, reminder_unsubscribe_token
from accounts.selectors import user_time_zone
from history.models import HistoryEntry
from vexora.i18n import language_of, user_language
from vexora.templatetags.ui import clock_format

logger = logging.getLogger(__name__)

REMINDER_LATE_MINUTES = 120
REMINDER_SUBJECT = gettext_lazy("Your Vexora check-in, if you feel like it")
SENT, CHECKED_IN, LATE, NOT_VERIFIED, TAKEN, FAILED = "sent", "checked_in", "late", "not_verified", "taken", "failed"


def reminders_send_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Handles every reminder due by ``now``; returns how many ended each way
    (``sent``, ``checked_in``, ``late``, ``not_verified``, ``taken`` by another run, ``failed``)."""
    now = now or timezone.now()
    outcomes = dict.fromkeys((SENT, CHECKED_IN, LATE, NOT_VERIFIED, TAKEN, FAILED), 0)
    due = (get_user_model().objects.filter(reminder_enabled=True, reminder_due_at__lte=now, is_active=True)
           .order_by("reminder_due_at", "pk"))
    for user in due.iterator():
        outcomes[reminder_handle(user=user, now=now)] += 1
    return outcomes


def reminder_handle(*, user, now: dt.datetime) -> str:
    """Claims ``user``'s due reminder and sends it when it is still wanted; returns the outcome."""
    User = get_user_model()
    due_at, last_on = user.reminder_due_at, user.reminder_last_on
    zone = user_time_zone(user=user)
    day = due_at.astimezone(zone).date()
    user.reminder_last_on = day
    next_due = reminder_next_due(user=user, now=max(now, due_at))
    claimed = User.objects.filter(pk=user.pk, reminder_enabled=True, reminder_due_at=due_at).update(
        reminder_due_at=next_due, reminder_last_on=day)
    if not claimed:  # another run has it, or the settings changed meanwhile
        return TAKEN
    if not user.email_verified:
        return NOT_VERIFIED
    if now - due_at > dt.timedelta(minutes=REMINDER_LATE_MINUTES):
        return LATE
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    if HistoryEntry.objects.filter(user=user, created_at__gte=start,
                                   created_at__lt=start + dt.timedelta(days=1)).exists():
        return CHECKED_IN
    try:
        reminder_email_send(user=user)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("reminder not sent: %s: %s", type(exc).__name__, exc)
        # Given back: the next run tries again, until it is too late for today.
        User.objects.filter(pk=user.pk, reminder_due_at=next_due).update(reminder_due_at=due_at, reminder_last_on=last_on)
        return FAILED
    return SENT


def reminder_email_send(*, user) -> None:
    """The reminder mail (plain text + HTML) with a one-click unsubscribe: a link in the text and
    the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058) mail clients show as a button. In
    the person's language (accounts.User.language), the time as their language writes it."""
    site = settings.SITE_URL.rstrip("/")
    unsubscribe = site + reverse("accounts:reminders_unsubscribe", args=[reminder_unsubscribe_token(user=user)])
    with language_of(user):
        context = {"name": user.get_short_name(), "time": formats.time_format(user.reminder_time, clock_format()),
                   "scan_url": site + reverse("moods:scan"), "profile_url": site + reverse("accounts:profile"),
                   "unsubscribe_url": unsubscribe, "language": user_language(user)}
        message = EmailMultiAlternatives(
            str(REMINDER_SUBJECT), render_to_string("history/email/reminder.txt", context), None, [user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        message.attach_alternative(render_to_string("history/email/reminder.html", context), "text/html")
    message.send()
