"""Writes for accounts: registration and profile, sessions (JWT), one-time codes, passwords.

Every function takes keyword-only arguments and raises vexora.errors domain errors carrying the
API's messages; views and HTML pages call these, nothing is written twice.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import time
import uuid

from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY, authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.contenttypes.models import ContentType
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _, gettext_lazy
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import emails, keys, reminders, selectors
from accounts.models import RevokedToken, time_zone_names
from accounts.pictures import profile_picture_erase
from vexora.i18n import language_supported, user_language
from vexora.errors import Forbidden, InvalidInput, NotAuthenticated, TooManyRequests

# The API's v1 messages (the API answers in English); pages show them in their own language.
IDENTITY_TAKEN = gettext_lazy("username or email already exists")
INVALID_CREDENTIALS = gettext_lazy("invalid username or password")
EMAIL_NOT_VERIFIED = gettext_lazy("email not verified, please verify your email first")
INVALID_REFRESH = gettext_lazy("invalid or expired refresh token")
INVALID_OTP = gettext_lazy("invalid or expired OTP")
WRONG_PASSWORD = gettext_lazy("current password is incorrect")
UNKNOWN_TIME_ZONE = gettext_lazy("unknown time zone: use an IANA name such as Europe/Paris")
UNKNOWN_LANGUAGE = gettext_lazy("unknown language: choose en or id")

OTP_VERIFY_EMAIL = "verify-email"
OTP_RESET_PASSWORD = "reset-password"
OTP_PURPOSES = (OTP_VERIFY_EMAIL, OTP_RESET_PASSWORD)


# --- Registration and profile ---------------------------------------------------------------
@transaction.atomic
def user_register(*, name: str, email: str, username: str, password: str, time_zone: str = "",
                  language: str = ""):
    """Create an unverified account and mail it a verification code. When the email cannot be
    sent (UpstreamError) nothing is created, so the same registration can simply be retried.
    ``time_zone`` (the browser's, optional): an IANA name, else InvalidInput. ``language`` (the
    page's, optional): what its pages and e-mails speak; an unknown one is ignored."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    username = username.strip()
    time_zone = time_zone_checked(time_zone) if time_zone else ""
    if selectors.user_identity_taken(username=username, email=email):
        raise InvalidInput(IDENTITY_TAKEN)
    user = User(username=username, email=email, name=name.strip(), time_zone=time_zone,
                language=language if language_supported(language) else "")  # the default picture
    _password_validate(password, user=user, field="password")
    user.set_password(password)
    _user_save(user)
    otp_issue(email=user.email, purpose=OTP_VERIFY_EMAIL, language=user_language(user))
    return user


@transaction.atomic
def user_update(*, user, name: str | None = None, username: str | None = None, email: str | None = None,
                time_zone: str | None = None, reminder_enabled: bool | None = None, reminder_time=None):
    """Change any of name, username, email, time zone and the reminder (on/off, local time; see
    accounts.reminders). A new email is unverified until its code is used (one is mailed; if it
    cannot be, nothing changes)."""
    User = get_user_model()
    username = username.strip() if username is not None else None
    email = User.objects.normalize_email(email.strip()) if email is not None else None
    if time_zone is not None:
        user.time_zone = time_zone_checked(time_zone)
    if selectors.user_identity_taken(username=username, email=email, exclude=user):
        raise InvalidInput(IDENTITY_TAKEN)
    email_changed = email is not None and keys.email_normalise(email) != keys.email_normalise(user.email)
    if name is not None:
        user.name = name.strip()
    if username is not None:
        user.username = username
    if email is not None:
        user.email = email
    if email_changed:
        user.email_verified = False
    _user_save(user)
    if time_zone is not None or reminder_enabled is not None or reminder_time is not None:
        reminders.reminder_settings_update(user=user, enabled=reminder_enabled, time=reminder_time)
    if email_changed:
        otp_issue(email=user.email, purpose=OTP_VERIFY_EMAIL, language=user_language(user))
    return user


def time_zone_checked(name) -> str:
    """``name`` as the IANA time zone it names (any letter case), else InvalidInput."""
    canonical = _time_zones_by_lower().get(name.strip().lower()) if isinstance(name, str) else None
    if canonical is None:
        raise InvalidInput(UNKNOWN_TIME_ZONE, errors={"time_zone": [UNKNOWN_TIME_ZONE]})
    return canonical


def _time_zones_by_lower() -> dict[str, str]:
    return {zone.lower(): zone for zone in time_zone_names()}


def user_language_set(*, user, language: str) -> None:
    """Stores ``language`` (one of settings.LANGUAGES) as the language of ``user``'s pages and
    e-mails; InvalidInput for another."""
    if not language_supported(language):
        raise InvalidInput(UNKNOWN_LANGUAGE, errors={"language": [UNKNOWN_LANGUAGE]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def user_language_adopt(*, user, language: str) -> bool:
    """At sign-in: the page's language becomes the user's when they have none stored yet (an
    account from before languages, or made through the API); a stored choice is kept. True when set."""
    if user.language or not language_supported(language):
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


def user_time_zone_adopt(*, user, time_zone: str) -> bool:
    """At sign-in: the browser's time zone becomes the user's when they have none yet (a zone set
    before, by them or a browser, is kept). Anything that is not a zone is ignored. True when set."""
    if user.time_zone or not time_zone:
        return False
    try:
        user.time_zone = time_zone_checked(time_zone)
    except InvalidInput:
        return False
    user.save(update_fields=["time_zone"])
    if user.reminder_enabled:
        reminders.reminder_settings_update(user=user)
    return True


# --- Deleting an account ----------------------------------------------------------------------
def user_delete(*, user, password: str) -> None:
    """Deletes the account for good, the password re-confirmed (InvalidInput when wrong).

    First the stored picture (ImageKit or local file; UpstreamError / ServiceUnavailable when it
    cannot be deleted, and then nothing else is), then in one transaction every row that belongs
    to the account: its history, notes and tags, playlists, taste and track ratings, token
    revocations (the database's ON DELETE CASCADE graph, collected by Django) and the admin log
    lines about those rows. Every
    token of the account is refused from then on: it names an account that no longer exists
    (uuids are random, never reused). Last, the sessions signed in to it (database sessions)."""
    if not isinstance(password, str) or not user.check_password(password):
        raise InvalidInput(WRONG_PASSWORD, errors={"password": [WRONG_PASSWORD]})
    profile_picture_erase(user=user)
    user_pk = user.pk
    with transaction.atomic():
        collector = Collector(using=router.db_for_write(type(user)), origin=user)
        collector.collect([user])
        _admin_log_forget(collector)
        collector.delete()
    _sessions_forget(user_pk=user_pk)


def _admin_log_forget(collector: Collector) -> None:
    """Admin log lines naming a row that is being deleted (their ``object_repr`` may hold a name)."""
    doomed: dict[int, set[str]] = {}
    for model, rows in collector.data.items():
        doomed.setdefault(ContentType.objects.get_for_model(model).pk, set()).update(str(row.pk) for row in rows)
    for queryset in collector.fast_deletes:
        pks = {str(pk) for pk in queryset.values_list("pk", flat=True)}
        doomed.setdefault(ContentType.objects.get_for_model(queryset.model).pk, set()).update(pks)
    lines = LogEntry.objects.filter(content_type_id__in=doomed).values_list("pk", "content_type_id", "object_id")
    LogEntry.objects.filter(pk__in=[pk for pk, ct, obj in lines if obj in doomed[ct]]).delete()


def _sessions_forget(*, user_pk) -> None:
    """Deletes the stored sessions signed in as ``user_pk`` (database-backed session engines;
    cookie or cache sessions hold nothing in the database and end at their expiry). Runs through
    the live sessions once: an account deletion is rare."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for key, data in sessions.values_list("session_key", "session_data").iterator():
        if store().decode(data).get(SESSION_KEY) == str(user_pk):
            store(session_key=key).delete()


def _user_save(user) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # lost a race with another account taking the username or email
        raise InvalidInput(IDENTITY_TAKEN) from None


def password_problems(*, password: str, user=None) -> list[str]:
    """Every reason settings.AUTH_PASSWORD_VALIDATORS refuse ``password`` for ``user``, all at once
    (empty: the password is fine). The pages show them together with the form's own checks."""
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        return list(exc.messages)
    return []


def _password_validate(password: str, *, user, field: str) -> None:
    """settings.AUTH_PASSWORD_VALIDATORS, answered like a serializer's field error."""
    problems = password_problems(password=password, user=user)
    if problems:
        raise InvalidInput(f"{field}: {problems[0]}", errors={field: problems})


# --- Sessions (JWT) -------------------------------------------------------------------------
def user_authenticate(*, identifier: str, password: str):
    """Username or email + password -> the account, when it may sign in (the checks of every
    login: the API's token pair and the pages' session).

    Raises NotAuthenticated (unknown, wrong password or inactive: one answer for all) or
    Forbidden (email not verified; only said when the password is right). Writes nothing.
    """
    user = authenticate(None, username=identifier, password=password)
    if user is None:  # unknown, wrong password or inactive: one answer for all
        raise NotAuthenticated(INVALID_CREDENTIALS)
    if not user.email_verified:
        raise Forbidden(EMAIL_NOT_VERIFIED)
    return user


def user_login(*, identifier: str, password: str) -> dict:
    """Username or email + password -> a new session's token pair (``user_authenticate``'s checks)."""
    user = user_authenticate(identifier=identifier, password=password)
    update_last_login(None, user)
    return token_pair_issue(user=user)


def token_pair_issue(*, user, sid: str | None = None) -> dict:
    """A refresh token and its access token for the session ``sid`` (a new session if None)."""
    refresh = RefreshToken.for_user(user)
    refresh["sid"] = sid or uuid.uuid4().hex
    _iat_precise(refresh)
    access = refresh.access_token  # copies user_uuid and sid
    _iat_precise(access)
    return {"access_token": str(access), "refresh_token": str(refresh)}


def _iat_precise(token) -> None:
    # SimpleJWT writes whole seconds; sessions end at a precise moment (sessions_revoked_at), so a
    # token issued in the same second just after a password reset must still compare as newer.
    token["iat"] = token.current_time.timestamp()


def token_refresh(*, refresh_token: str) -> dict:
    """Rotate: the refresh token is used up and a new pair of the same session is issued.

    Reuse detection: a refresh token presented again after it was used up means two parties hold
    it (one of them a thief), so its whole session is revoked: every token of that login stops
    working, and the person signs in again."""
    token = _refresh_token_parse(refresh_token)
    if selectors.token_is_revoked(token=token):
        _revoke(token, kind=RevokedToken.Kind.SESSION)
        raise NotAuthenticated(INVALID_REFRESH)
    user = selectors.token_user_get(token=token)
    if user is None or not _revoke(token, kind=RevokedToken.Kind.TOKEN):  # a parallel refresh won
        raise NotAuthenticated(INVALID_REFRESH)
    return token_pair_issue(user=user, sid=token.get("sid"))


def token_revoke(*, refresh_token: str, access_token=None) -> None:
    """Logout: revoke the session of the refresh token (every token of that login, the access
    token in use included); a token without a session id is revoked on its own."""
    token = _refresh_token_parse(refresh_token)
    if selectors.token_user_get(token=token) is None:
        raise NotAuthenticated(INVALID_REFRESH)
    _revoke(token, kind=RevokedToken.Kind.SESSION if token.get("sid") else RevokedToken.Kind.TOKEN)
    if access_token is not None:
        _revoke(access_token, kind=RevokedToken.Kind.TOKEN)


def revoked_tokens_purge() -> int:
    """Delete revocations of tokens that have expired anyway (scheduled housekeeping)."""
    deleted, _ = RevokedToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def _refresh_token_parse(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)
    except TokenError:
        raise NotAuthenticated(INVALID_REFRESH) from None


def _revoke(token, *, kind: str) -> bool:
    """Record the revocation of ``token`` (its jti) or of its session (sid) in the database, kept
    until the token would expire anyway (a session: until its longest-lived token would); False
    when it was already revoked (for a jti: another request used the token first)."""
    value = token[jwt_settings.JTI_CLAIM] if kind == RevokedToken.Kind.TOKEN else token.get("sid")
    if not value:
        return False
    user_id = token.get(jwt_settings.USER_ID_CLAIM)
    user = get_user_model().objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).only("pk").first()
    if user is None:
        return False
    lifetime = jwt_settings.REFRESH_TOKEN_LIFETIME if kind == RevokedToken.Kind.SESSION else dt.timedelta(0)
    expires_at = max(dt.datetime.fromtimestamp(token["exp"], tz=dt.timezone.utc), timezone.now() + lifetime)
    try:
        with transaction.atomic():
            RevokedToken.objects.create(kind=kind, value=value, user=user, expires_at=expires_at)
    except IntegrityError:
        return False
    return True


# --- One-time codes -------------------------------------------------------------------------
def otp_send(*, email: str, purpose: str | None = None, language: str | None = None) -> None:
    """The send-otp endpoint. Does the same work whether or not ``email`` has an account, so
    neither the answer nor its timing tells: the resend cooldown is claimed for any address and
    one ``otp_deliver`` task is queued, which looks the account up and mails only real ones.
    A mail server fault is handled by the task (retries), never answered to the caller.
    ``language``: the asking page's, for an account without a stored language (default: the site's).
    """
    from accounts.tasks import otp_deliver  # tasks import this module

    _otp_cooldown_claim(email=email)
    try:
        otp_deliver.delay(email=email, purpose=purpose, language=language)
    except BaseException:
        otp_cooldown_release(email=email)  # nothing was queued: the user may retry at once
        raise


def otp_deliver(*, email: str, purpose: str | None = None, language: str | None = None) -> bool:
    """The work of a send-otp request: mail a code when ``email`` belongs to an active account
    that needs one. Without ``purpose``: a verification code for an unverified account, else a
    reset code. The mail is in the account's language, else in ``language`` (the asking page's).
    True when a code was mailed; raises UpstreamError when the mail server fails."""
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active:
        return False
    purpose = purpose or (OTP_RESET_PASSWORD if user.email_verified else OTP_VERIFY_EMAIL)
    if purpose == OTP_VERIFY_EMAIL and user.email_verified:
        return False  # nothing to verify
    otp_issue(email=user.email, purpose=purpose, language=user_language(user, fallback=language))
    return True


def otp_cooldown_release(*, email: str) -> None:
    """End the resend cooldown (nothing was sent, so the user may ask again at once)."""
    cache.delete(keys.otp_cooldown(email))


def otp_issue(*, email: str, purpose: str, language: str | None = None) -> None:
    """Mail a new 6-digit code for ``email`` and ``purpose`` (in ``language``, default the site's),
    replacing any previous one. Only its salted HMAC is kept, and only once the mail was accepted
    (UpstreamError otherwise)."""
    code = f"{secrets.randbelow(10**6):06d}"
    emails.otp_email_send(email=email, code=code, purpose=purpose, language=language)
    cache.set_many(
        {keys.otp_attempts(email, purpose): 0, keys.otp_code(email, purpose): _otp_hash(email, purpose, code)},
        timeout=settings.OTP_TTL_SECONDS,
    )
    if settings.OTP_RESEND_SECONDS > 0:
        wait = settings.OTP_RESEND_SECONDS
        cache.set(keys.otp_cooldown(email), time.time() + wait, timeout=wait)


def otp_verify(*, email: str, purpose: str, code: str) -> None:
    """Check ``code`` without using it up (see :func:`otp_consume`). Each check counts; after
    settings.OTP_MAX_ATTEMPTS wrong ones the code is burnt. Raises InvalidInput."""
    code_key, attempts_key = keys.otp_code(email, purpose), keys.otp_attempts(email, purpose)
    stored = cache.get(code_key)
    if stored is None:
        raise InvalidInput(INVALID_OTP)
    try:
        attempts = cache.incr(attempts_key)  # atomic: parallel guesses are counted too
    except ValueError:  # the counter expired with the code
        attempts = settings.OTP_MAX_ATTEMPTS + 1
    if attempts > settings.OTP_MAX_ATTEMPTS:
        cache.delete_many([code_key, attempts_key])
        raise InvalidInput(INVALID_OTP)
    if not constant_time_compare(stored, _otp_hash(email, purpose, code)):
        if attempts >= settings.OTP_MAX_ATTEMPTS:
            cache.delete_many([code_key, attempts_key])
        raise InvalidInput(INVALID_OTP)


def otp_consume(*, email: str, purpose: str) -> None:
    """Use the code up; only one of two parallel requests can (the other gets InvalidInput).
    The resend cooldown ends with it: a code that was used is no reason to make anyone wait."""
    if not cache.delete(keys.otp_code(email, purpose)):
        raise InvalidInput(INVALID_OTP)
    cache.delete_many([keys.otp_attempts(email, purpose), keys.otp_cooldown(email)])


def _otp_hash(email: str, purpose: str, code: str) -> str:
    value = f"{purpose}:{keys.email_normalise(email)}:{code}"
    return salted_hmac("accounts.otp", value, algorithm="sha256").hexdigest()


def _otp_cooldown_claim(*, email: str) -> None:
    wait = settings.OTP_RESEND_SECONDS
    if wait <= 0:
        return
    key = keys.otp_cooldown(email)
    if cache.add(key, time.time() + wait, timeout=wait):
        return
    until = cache.get(key) or time.time() + wait
    retry_after = max(1, math.ceil(until - time.time()))
    raise TooManyRequests(  # in the active language: English for the API
        _("please wait %(seconds)s seconds before requesting another OTP") % {"seconds": retry_after},
        data={"retry_after": retry_after},
    )


def email_verify(*, email: str, otp: str):
    """Mark the account of ``email`` verified with a verify-email code sent to that address."""
    otp_verify(email=email, purpose=OTP_VERIFY_EMAIL, code=otp)
    user = selectors.user_get_by_email(email=email)
    if user is None:
        raise InvalidInput(INVALID_OTP)
    otp_consume(email=email, purpose=OTP_VERIFY_EMAIL)
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user


# --- Passwords ------------------------------------------------------------------------------
def password_reset(*, email: str, otp: str, new_password: str):
    """Set a new password with a reset-password code; ends every session. The code also proves
    the address, so the email becomes verified. A refused password leaves the code usable."""
    otp_verify(email=email, purpose=OTP_RESET_PASSWORD, code=otp)
    user = selectors.user_get_by_email(email=email)
    if user is None or not user.is_active:
        raise InvalidInput(INVALID_OTP)
    _password_validate(new_password, user=user, field="new_password")
    otp_consume(email=email, purpose=OTP_RESET_PASSWORD)
    user.set_password(new_password)
    user.email_verified = True
    _sessions_end(user, keep_sid="")
    user.save(update_fields=["password", "email_verified", "sessions_revoked_at", "sessions_kept_sid"])
    return user


def password_verify(*, user, password: str) -> None:
    """``password`` is ``user``'s current password, else InvalidInput (WRONG_PASSWORD)."""
    if not user.check_password(password):
        raise InvalidInput(WRONG_PASSWORD)


def password_change(*, user, previous_password: str, new_password: str, sid: str | None = None):
    """Change the password knowing the current one; ends every session but ``sid`` (the caller's)."""
    password_verify(user=user, password=previous_password)
    _password_validate(new_password, user=user, field="new_password")
    user.set_password(new_password)
    _sessions_end(user, keep_sid=sid or "")
    user.save(update_fields=["password", "sessions_revoked_at", "sessions_kept_sid"])
    return user


def _sessions_end(user, *, keep_sid: str) -> None:
    user.sessions_revoked_at = timezone.now()
    user.sessions_kept_sid = keep_sid
