"""Emails sent by accounts, through Django's email framework (console by default, SMTP when
``EMAIL_URL`` says so), written in the recipient's language (vexora.i18n)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext

from vexora.errors import UpstreamError
from vexora.i18n import user_language

logger = logging.getLogger(__name__)

SEND_FAILED_MESSAGE = gettext_lazy("could not send the email, please try again later")

OTP_SUBJECTS = {
    "verify-email": gettext_lazy("Your Vexora verification code"),
    "reset-password": gettext_lazy("Your Vexora password reset code"),
}
OTP_INTROS = {
    "verify-email": gettext_lazy("Your Vexora code to verify your email address is:"),
    "reset-password": gettext_lazy("Your Vexora code to reset your password is:"),
}


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def otp_email_send(*, email: str, code: str, purpose: str, language: str | None = None) -> None:
    """Mail ``code`` to ``email`` (plain text + HTML) in ``language`` (default: the site's).
    Raises UpstreamError when the mail server cannot be reached or refuses the message."""
    with translation.override(user_language(None, fallback=language)):
        context = {"code": code, "intro": OTP_INTROS[purpose], "expires": _duration(settings.OTP_TTL_SECONDS)}
        text = render_to_string("accounts/email/otp.txt", context)
        html = render_to_string("accounts/email/otp.html", context)
        subject = str(OTP_SUBJECTS[purpose])
    try:
        send_mail(subject, text, None, [email], html_message=html)
    except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, rejected recipient...
        logger.warning("could not send the %s email: %s: %s", purpose, type(exc).__name__, exc)
        raise UpstreamError(SEND_FAILED_MESSAGE) from None
