"""Reads for accounts: finding users, and whether a token may still be used."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import keys
from accounts.models import RevokedToken, time_zone_names


def user_get_by_identifier(*, identifier: str):
    """The account whose username, else whose email, is ``identifier`` (case-insensitive)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    users = get_user_model().objects
    return users.filter(username__iexact=identifier).first() or users.filter(email__iexact=identifier).first()


def user_get_by_email(*, email: str):
    email = keys.email_normalise(email)
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


def user_identity_taken(*, username: str | None = None, email: str | None = None, exclude=None) -> bool:
    """True when another account already uses ``username`` or ``email`` (case-insensitive)."""
    query = Q()
    if username:
        query |= Q(username__iexact=username)
    if email:
        query |= Q(email__iexact=email)
    if not query:
        return False
    users = get_user_model().objects.filter(query)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def _revocations(token) -> QuerySet:
    query = Q(kind=RevokedToken.Kind.TOKEN, value=token[jwt_settings.JTI_CLAIM])
    if token.get("sid"):
        query |= Q(kind=RevokedToken.Kind.SESSION, value=token["sid"])
    return RevokedToken.objects.filter(query)


def token_is_revoked(*, token) -> bool:
    """A token revoked (logout, used up by a refresh) or of a revoked session: one indexed query
    on the database, which is the record (a cache wipe revives nothing)."""
    return _revocations(token).exists()


def token_user_with_revocation(*, token):
    """The user a token names, with ``token_revoked`` (whether ``token_is_revoked``), in one round
    trip to the database (every authenticated API request asks); None for an unknown user."""
    lookup = {jwt_settings.USER_ID_FIELD: token.get(jwt_settings.USER_ID_CLAIM)}
    return get_user_model().objects.filter(**lookup).annotate(token_revoked=Exists(_revocations(token))).first()


def user_throttle_key(*, identifier: str) -> str | None:
    """The login throttle's bucket for the account ``identifier`` names (username or email), so
    both of an account's names share one bucket; None when it names no account."""
    user = user_get_by_identifier(identifier=identifier)
    return user.uuid.hex if user is not None else None


def token_session_is_active(*, user, token) -> bool:
    """False for a token issued before ``user.sessions_revoked_at`` (password change or reset),
    unless it belongs to the session that was kept (``sessions_kept_sid``)."""
    ended_at = user.sessions_revoked_at
    if ended_at is None:
        return True
    if user.sessions_kept_sid and token.get("sid") == user.sessions_kept_sid:
        return True
    return float(token.get("iat", 0)) >= ended_at.timestamp()


def token_user_get(*, token):
    """The active user a token belongs to, or None when the token may no longer be used."""
    if token_is_revoked(token=token):
        return None
    lookup = {jwt_settings.USER_ID_FIELD: token.get(jwt_settings.USER_ID_CLAIM)}
    user = get_user_model().objects.filter(**lookup).first()
    if user is None or not user.is_active or not token_session_is_active(user=user, token=token):
        return None
    return user


def otp_pending(*, email: str, purpose: str) -> bool:
    """Whether a usable one-time code exists for ``email`` and ``purpose``."""
    return cache.get(keys.otp_code(email, purpose)) is not None


def user_time_zone(*, user) -> zoneinfo.ZoneInfo:
    """The zone of ``user``'s local days: their ``time_zone``, else settings.TIME_ZONE."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    if name not in time_zone_names():
        name = settings.TIME_ZONE  # a zone this machine no longer knows (tzdata updates rename few)
    return zoneinfo.ZoneInfo(name)


def user_today(*, user, now: dt.datetime | None = None) -> dt.date:
    """Today in ``user``'s time zone."""
    return (now or timezone.now()).astimezone(user_time_zone(user=user)).date()
