"""Page forms for accounts: field shapes only (the API serializers' limits); the rules (password
strength, codes, taken usernames) stay in accounts.services and come back as field errors."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_info, gettext as _, gettext_lazy

from accounts.models import time_zone_names
from accounts.serializers import USERNAME_PATTERN
from accounts.services import password_problems
from vexora.images import human_size
from vexora.web import PageForm

# accounts.serializers.USERNAME_HELP, as the pages say it (in their language).
USERNAME_HELP_TEXT = gettext_lazy("3 to 30 characters: letters, digits, '_' or '.'.")
USERNAME_ERROR = gettext_lazy("Use 3 to 30 characters: letters, digits, '_' or '.'.")


def _username_field(**kwargs):
    return forms.RegexField(
        regex=USERNAME_PATTERN, max_length=30, label=gettext_lazy("Username"), help_text=USERNAME_HELP_TEXT,
        error_messages={"invalid": USERNAME_ERROR},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
        **kwargs,
    )


def _password_field(label, autocomplete, **kwargs):
    return forms.CharField(label=label, max_length=128, strip=False,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs)


def _email_field(**kwargs):
    return forms.EmailField(max_length=254, label=gettext_lazy("Email"),
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}), **kwargs)


def _name_field():
    return forms.CharField(max_length=150, label=gettext_lazy("Name"),
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))


def _otp_field():
    return forms.RegexField(
        regex=r"^\d{6}$", label=gettext_lazy("6-digit code"), max_length=6,
        error_messages={"invalid": gettext_lazy("The code is 6 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}),
    )


class _ConfirmPasswordMixin:
    """A new password typed twice: every problem with it is said at once, the two copies differing
    and each of the password rules it breaks (accounts.services.password_problems)."""

    password_field = "password"

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get(self.password_field), cleaned.get("password_confirm")
        if first:
            for problem in password_problems(password=first, user=self.password_user(cleaned)):
                self.add_error(self.password_field, problem)
        if first and second and first != second:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned

    def password_user(self, cleaned):
        """Whose password it is (the rules refuse one too close to the name, username or email)."""
        return get_user_model()(email=cleaned.get("email", ""))


class RegisterForm(_ConfirmPasswordMixin, PageForm):
    name = _name_field()
    email = _email_field()
    username = _username_field()
    password = _password_field(gettext_lazy("Password"), "new-password",
                               help_text=gettext_lazy("At least 8 characters, not a common one."))
    password_confirm = _password_field(gettext_lazy("Repeat the password"), "new-password")

    def password_user(self, cleaned):
        return get_user_model()(name=cleaned.get("name", ""), email=cleaned.get("email", ""),
                                username=cleaned.get("username", ""))


class VerifyEmailForm(PageForm):
    email = _email_field()
    otp = _otp_field()


class ResendCodeForm(PageForm):
    email = _email_field()


class LoginForm(PageForm):
    identifier = forms.CharField(label=gettext_lazy("Username or email"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none",
                                                               "spellcheck": "false"}))
    password = _password_field(gettext_lazy("Password"), "current-password")


class ForgotPasswordForm(PageForm):
    email = _email_field(help_text=gettext_lazy("We will email you a 6-digit code."))


class ResetPasswordForm(_ConfirmPasswordMixin, PageForm):
    password_field = "new_password"

    email = _email_field()
    otp = _otp_field()
    new_password = _password_field(gettext_lazy("New password"), "new-password",
                                   help_text=gettext_lazy("At least 8 characters."))
    password_confirm = _password_field(gettext_lazy("Repeat the new password"), "new-password")


class ProfileForm(PageForm):
    name = _name_field()
    username = _username_field()


class PictureForm(PageForm):
    image = forms.FileField(
        label=gettext_lazy("New picture"),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg", "data-preview": "picture-preview"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = human_size(settings.UPLOAD_MAX_BYTES)
        self.fields["image"].help_text = (_("PNG or JPEG, up to %(limit)s. It is cropped to a square.")
                                          % {"limit": limit})


class PasswordChangeForm(_ConfirmPasswordMixin, PageForm):
    password_field = "new_password"

    previous_password = _password_field(gettext_lazy("Current password"), "current-password")
    new_password = _password_field(gettext_lazy("New password"), "new-password",
                                   help_text=gettext_lazy("At least 8 characters."))
    password_confirm = _password_field(gettext_lazy("Repeat the new password"), "new-password")

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def password_user(self, cleaned):
        return self.user


def _time_zone_choices(*, unset: bool):
    zones = [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
    unset_label = _("Not set (the site's time zone, %(zone)s)") % {"zone": settings.TIME_ZONE}
    return [("", unset_label), *zones] if unset else zones


class PreferencesForm(PageForm):
    """Language, time zone and the daily reminder (accounts.services.user_language_set and
    user_update check and store them). Each language is named in itself, as in the footer."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language"), required=False,  # left out: unchanged
        choices=[(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES],
        help_text=gettext_lazy("The language of your pages and of the emails Vexora sends you."),
        widget=forms.Select(attrs={"autocomplete": "off"}))
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), required=False,
        help_text=gettext_lazy("Your days in the calendar and insights, and the reminder's time, follow it."),
        widget=forms.Select(attrs={"autocomplete": "off", "data-browser-time-zone-select": ""}))
    reminder_enabled = forms.BooleanField(label=gettext_lazy("Send me a daily reminder by email"), required=False)
    reminder_time = forms.TimeField(
        label=gettext_lazy("Reminder time"), required=False, input_formats=["%H:%M", "%H:%M:%S"],
        help_text=gettext_lazy("Your local time. One gentle email a day at most, none on a day you already "
                               "checked in."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, time_zone_set: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _time_zone_choices(unset=not time_zone_set)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reminder_enabled") and not cleaned.get("reminder_time") and "reminder_time" not in self.errors:
            self.add_error("reminder_time", _("Choose a time for the reminder."))
        return cleaned


class DeleteAccountForm(PageForm):
    password = _password_field(gettext_lazy("Your password"), "current-password",
                               help_text=gettext_lazy("To confirm it is you."))
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and all its data are deleted for good"),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")})
