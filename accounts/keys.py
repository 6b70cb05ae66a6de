"""Cache keys for accounts state that lives in the cache: one-time codes and resend cooldowns.
Emails are normalised (trimmed, lower-cased) and hashed, so keys are short, safe for every cache
backend and carry no address in clear."""

import hashlib


def email_normalise(email: str) -> str:
    return (email or "").strip().lower()


def _email_digest(email: str) -> str:
    return hashlib.sha256(email_normalise(email).encode()).hexdigest()


def otp_code(email: str, purpose: str) -> str:
    return f"accounts:otp:{purpose}:{_email_digest(email)}"


def otp_attempts(email: str, purpose: str) -> str:
    return f"accounts:otp-attempts:{purpose}:{_email_digest(email)}"


def otp_cooldown(email: str) -> str:
    return f"accounts:otp-cooldown:{_email_digest(email)}"
