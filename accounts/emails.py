"""Emails sent by accounts, through Django's email framework (console by default, SMTP when
``EMAIL_URL`` says so)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from vexora.errors import UpstreamError

logger = logging.getLogger(__name__)

SEND_FAILED_MESSAGE = "could not send the email, please try again later"

OTP_SUBJECTS = {
    "verify-email": "Your Vexora verification code",
    "reset-password": "Your Vexora password reset code",
}
OTP_ACTIONS = {
    "verify-email": "verify your email address",
    "reset-password": "reset your password",
}


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def otp_email_send(*, email: str, code: str, purpose: str) -> None:
    """Mail ``code`` to ``email`` (plain text + HTML). Raises UpstreamError when the mail server
    cannot be reached or refuses the message."""
    context = {"code": code, "action": OTP_ACTIONS[purpose], "expires": _duration(settings.OTP_TTL_SECONDS)}
    text = render_to_string("accounts/email/otp.txt", context)
    html = render_to_string("accounts/email/otp.html", context)
    try:
        send_mail(OTP_SUBJECTS[purpose], text, None, [email], html_message=html)
    except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, rejected recipient...
        logger.warning("could not send the %s email: %s: %s", purpose, type(exc).__name__, exc)
        raise UpstreamError(SEND_FAILED_MESSAGE) from None
