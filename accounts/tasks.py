"""Background work for accounts (Celery; without a broker these run in the calling process)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from accounts import services
from vexora.errors import UpstreamError

logger = logging.getLogger(__name__)

OTP_RETRIES = 4
DELIVERED_SECONDS = 3600


@shared_task(bind=True, acks_late=True, max_retries=OTP_RETRIES, ignore_result=True)
def otp_deliver(self, *, email: str, purpose: str | None = None, language: str | None = None) -> None:
    """Mail a one-time code for a send-otp request; retried with back-off (10 s, 20 s, 40 s, ...)
    while the mail server fails. Idempotent: a redelivered task (a worker died after sending)
    sends nothing twice. Without a broker it runs once, inline, with no retries; the person may
    ask again when it failed (the cooldown is released). ``language``: the asking page's (the mail
    is in the account's stored language, else this one, else settings.LANGUAGE_CODE)."""
    done_key = f"accounts:otp-delivered:{self.request.id}" if self.request.id else None
    if done_key and cache.get(done_key):
        return
    try:
        sent = services.otp_deliver(email=email, purpose=purpose, language=language)
    except UpstreamError as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.warning("one-time code not delivered after %d attempts", self.request.retries + 1)
            services.otp_cooldown_release(email=email)
            return
        raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from None
    if sent and done_key:
        cache.set(done_key, 1, DELIVERED_SECONDS)


@shared_task(acks_late=True, ignore_result=True)
def revoked_tokens_purge() -> int:
    """Scheduled housekeeping: forget revocations of tokens that have expired anyway."""
    return services.revoked_tokens_purge()
