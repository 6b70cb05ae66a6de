"""Assertions and small readers shared by the accounts tests."""

import re

from django.core.cache import cache

from accounts import keys

API = "/api/v1/"
USER_FIELDS = {"uuid", "name", "email", "username", "profile_picture", "file_id", "email_verified", "created_at",
               "time_zone", "reminder_enabled", "reminder_time"}
_MISSING = object()


def assert_envelope(response, status: int, message: str | None = None, *, notify=None, data=_MISSING) -> dict:
    """The response is the API envelope with this status (and message / shouldNotify / data)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"success", "shouldNotify", "message", "data"} <= set(body)
    assert body["success"] is (status < 400)
    if message is not None:
        assert body["message"] == message
    if notify is not None:
        assert body["shouldNotify"] is notify
    if data is not _MISSING:
        assert body["data"] == data
    return body


def otp_in(text: str) -> str:
    """The 6-digit code in an email body."""
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


def otp_mailed_to(outbox, email: str) -> str:
    """The code of the latest message in ``outbox`` (django.core.mail.outbox) sent to ``email``."""
    sent = [message for message in outbox if message.to == [email]]
    assert sent, f"no email to {email}"
    return otp_in(sent[-1].body)


def otp_stored(email: str, purpose: str):
    """What the cache keeps for a pending code (its HMAC), or None."""
    return cache.get(keys.otp_code(email, purpose))


def bearer(access_token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access_token}"}
