import uuid
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

TIME_ZONE_MAX_LENGTH = 64


@lru_cache(maxsize=1)
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this machine knows (the system database, else the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


class VexoraUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A Vexora account. ``uuid`` is the public id (API, tokens); ``id`` stays internal."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField("email address")
    email_verified = models.BooleanField(default=False)
    # Where the picture is (accounts.pictures builds its URL per request): empty for the default
    # avatar, a media storage name for a local file, or ImageKit's URL.
    profile_picture = models.CharField(max_length=500, blank=True)
    file_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Ends sessions: tokens issued before this moment are refused, except the session kept.
    sessions_revoked_at = models.DateTimeField(null=True, blank=True)
    sessions_kept_sid = models.CharField(max_length=64, blank=True)
    # The person's local days (calendar, insights, reminders): an IANA name such as
    # "Europe/Paris", taken from the browser and editable; blank: settings.TIME_ZONE.
    time_zone = models.CharField(max_length=TIME_ZONE_MAX_LENGTH, blank=True, default="")
    # The language pages and e-mails use (settings.LANGUAGES); blank: the browser's choice.
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
    # Opt-in e-mail reminder at a local time of day (accounts.services.reminder_settings_update).
    reminder_enabled = models.BooleanField(default=False)
    reminder_time = models.TimeField(null=True, blank=True, help_text="local time of day")
    # When the next reminder is due (UTC): the scheduled task picks rows with this in the past.
    reminder_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The local day the last reminder was sent or skipped: one reminder a day at most.
    reminder_last_on = models.DateField(null=True, blank=True, editable=False)

    first_name = None  # one ``name`` field instead, as the API has it
    last_name = None

    objects = VexoraUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="A user with that username already exists.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with that email already exists.",
            ),
            models.CheckConstraint(condition=models.Q(reminder_enabled=False) | models.Q(reminder_time__isnull=False),
                                   name="accounts_user_reminder_has_time"),
        ]
        indexes = [
            # The reminder task: "enabled and due by now", a few rows among all users.
            models.Index(fields=["reminder_due_at"], name="accounts_user_reminder_due_idx",
                         condition=models.Q(reminder_enabled=True)),
        ]

    def __str__(self):
        return self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username


class RevokedToken(models.Model):
    """A token (``jti``) or a whole session (``sid``: every token issued for one login) that may no
    longer be used: logout, a refresh token used up by rotation, a refresh token reused after
    rotation (its session is revoked). The database is the record, so revocations survive a cache
    wipe; a row is only needed until the token would have expired anyway (``expires_at``)."""

    class Kind(models.TextChoices):
        TOKEN = "jti", "Token"
        SESSION = "sid", "Session"

    kind = models.CharField(max_length=3, choices=Kind.choices)
    value = models.CharField(max_length=64)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="revoked_tokens")
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="accounts_revoked_token_unique"),
            models.CheckConstraint(condition=models.Q(kind__in=["jti", "sid"]), name="accounts_revoked_token_kind"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.value}"
