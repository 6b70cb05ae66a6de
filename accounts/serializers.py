"""API shapes for accounts: input validation and the user object. No business rules here."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts.models import TIME_ZONE_MAX_LENGTH
from accounts.pictures import profile_picture_url
from accounts.services import OTP_PURPOSES

USERNAME_PATTERN = r"^[A-Za-z0-9_.]{3,30}$"
USERNAME_HELP = "3 to 30 characters: letters, digits, '_' or '.'"


def _username(**kwargs):
    return serializers.RegexField(
        USERNAME_PATTERN, max_length=30, help_text=USERNAME_HELP,
        error_messages={"invalid": f"Use {USERNAME_HELP}."}, **kwargs,
    )


def _name(**kwargs):
    return serializers.CharField(min_length=1, max_length=150, **kwargs)


def _password(**kwargs):
    return serializers.CharField(max_length=128, trim_whitespace=False, write_only=True, **kwargs)


def _time_zone(**kwargs):
    return serializers.CharField(max_length=TIME_ZONE_MAX_LENGTH, help_text="an IANA time zone, e.g. Europe/Paris",
                                 **kwargs)


def _otp():
    return serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "The OTP is 6 digits."})


class UserSerializer(serializers.ModelSerializer):
    """The user object every endpoint answers (never the password hash)."""

    profile_picture = serializers.SerializerMethodField(help_text="the picture's absolute URL (the default avatar "
                                                                  "until one is uploaded)")
    time_zone = serializers.CharField(read_only=True, help_text="IANA name of the user's local days; empty: not "
                                      "set yet (the site's TIME_ZONE is used)")
    reminder_time = serializers.TimeField(read_only=True, format="%H:%M", allow_null=True,
                                          help_text="local time of the daily reminder (HH:MM)")

    class Meta:
        model = get_user_model()
        fields = ("uuid", "name", "email", "username", "profile_picture", "file_id", "email_verified", "created_at",
                  "time_zone", "reminder_enabled", "reminder_time")
        read_only_fields = fields

    def get_profile_picture(self, user) -> str:
        return profile_picture_url(user=user, request=self.context.get("request"))


class RegisterSerializer(serializers.Serializer):
    name = _name()
    email = serializers.EmailField(max_length=254)
    username = _username()
    password = _password()
    time_zone = _time_zone(required=False)


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, required=False, help_text="username or email")
    email = serializers.CharField(max_length=254, required=False, help_text="alternative to username")
    password = _password()

    def validate(self, attrs):
        identifier = attrs.get("username") or attrs.get("email")
        if not identifier:
            raise serializers.ValidationError({"username": ["This field is required."]})
        return {"identifier": identifier, "password": attrs["password"]}


class RefreshTokenSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)


class OtpSendSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    purpose = serializers.ChoiceField(choices=OTP_PURPOSES, required=False)


class EmailVerifySerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    otp = _otp()


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    otp = _otp()
    new_password = _password()


class UserUpdateSerializer(serializers.Serializer):
    name = _name(required=False)
    username = _username(required=False)
    email = serializers.EmailField(max_length=254, required=False)
    time_zone = _time_zone(required=False)
    reminder_enabled = serializers.BooleanField(required=False, help_text="the daily e-mail reminder on or off")
    reminder_time = serializers.TimeField(required=False, format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"],
                                          help_text="local time of day, HH:MM (needed to turn the reminder on)")

    def to_internal_value(self, data):
        # DRF reads a blank field of form data as "not sent"; here, as in JSON, a field sent
        # blank is refused (the schema says minLength 1 for each).
        if hasattr(data, "getlist"):
            data = {key: data.get(key) for key in data if key in self.fields}
        return super().to_internal_value(data)


class UserDeleteSerializer(serializers.Serializer):
    password = _password(help_text="the current password, to confirm")


class PasswordChangeSerializer(serializers.Serializer):
    previous_password = _password()
    new_password = _password()


class ProfilePictureSerializer(serializers.Serializer):
    image = serializers.FileField(allow_empty_file=False)  # accounts.pictures checks the content
