"""Background work for the history (Celery; without a broker these run in the calling process)."""

from __future__ import annotations

from celery import shared_task

from history import reminders


@shared_task(acks_late=True, ignore_result=True)
def reminders_send() -> dict[str, int]:
    """Scheduled every 5 minutes (settings.CELERY_BEAT_SCHEDULE): the daily reminders that are due.
    Idempotent: each reminder is claimed in the database before it is sent (history.reminders)."""
    return reminders.reminders_send_due()
