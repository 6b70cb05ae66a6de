"""The accounts API: thin viewsets calling accounts.services (paths and messages of API v1)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny

from accounts import serializers, services
from accounts.authentication import OptionalJWTAuthentication
from accounts.pictures import profile_picture_replace
from vexora.api import ScopedAccountThrottle, ScopedIPThrottle, ScopedUserThrottle, envelope, input_valid


def _post(request_serializer, *, schema_auth=None, **kwargs):
    """A POST action on a collection route, its body described by ``request_serializer``."""

    def decorate(func):
        func = action(detail=False, methods=["post"], **kwargs)(func)
        return extend_schema(request=request_serializer, responses=OpenApiTypes.OBJECT, auth=schema_auth)(func)

    return decorate


class AuthViewSet(viewsets.ViewSet):
    """register, login, logout, refresh, send-otp, verify-email, reset-password."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedIPThrottle, ScopedAccountThrottle]
    throttle_scope = None  # set per action; rates in settings.THROTTLE_RATES

    @_post(serializers.RegisterSerializer, throttle_scope="register")
    def register(self, request):
        """Create an account (unverified) and email it a verification code."""
        user = services.user_register(**input_valid(serializers.RegisterSerializer, request.data))
        return envelope("register success!", _user_data(request, user), should_notify=True)

    @_post(serializers.LoginSerializer, throttle_scope="login")
    def login(self, request):
        """Username or email + password -> access and refresh tokens of a new session."""
        tokens = services.user_login(**input_valid(serializers.LoginSerializer, request.data))
        return envelope("login success!", tokens, should_notify=True)

    @_post(serializers.RefreshTokenSerializer, authentication_classes=[OptionalJWTAuthentication],
           schema_auth=[{"jwtAuth": []}, {}])  # the Bearer token is optional
    def logout(self, request):
        """Revoke the refresh token, and the Bearer access token when one is sent."""
        data = input_valid(serializers.RefreshTokenSerializer, request.data)
        services.token_revoke(refresh_token=data["refresh_token"], access_token=request.auth)
        return envelope("logout success!")

    @_post(serializers.RefreshTokenSerializer)
    def refresh(self, request):
        """Rotate: a new token pair; the refresh token sent stops working."""
        data = input_valid(serializers.RefreshTokenSerializer, request.data)
        return envelope("refresh token success!", services.token_refresh(refresh_token=data["refresh_token"]))

    @_post(serializers.OtpSendSerializer, url_path="send-otp", throttle_scope="otp_send")
    def send_otp(self, request):
        """Email a 6-digit code (verify-email or reset-password); same answer for any address."""
        services.otp_send(**input_valid(serializers.OtpSendSerializer, request.data))
        return envelope("OTP sent successfully!", should_notify=True)

    @_post(serializers.EmailVerifySerializer, url_path="verify-email", throttle_scope="otp_verify")
    def verify_email(self, request):
        """Verify the email address with its verify-email code."""
        services.email_verify(**input_valid(serializers.EmailVerifySerializer, request.data))
        return envelope("email verification success!", should_notify=True)

    @_post(serializers.PasswordResetSerializer, url_path="reset-password", throttle_scope="otp_verify")
    def reset_password(self, request):
        """Set a new password with a reset-password code; ends every session."""
        services.password_reset(**input_valid(serializers.PasswordResetSerializer, request.data))
        return envelope("password reset success!", should_notify=True)


class UserViewSet(viewsets.ViewSet):
    """The signed-in user: GET/PUT/DELETE user, PUT user/change-password, PUT user/profile-picture."""

    def get_throttles(self):
        # change-password and delete check the current password: limited per user so a stolen
        # access token cannot be used to guess it (the other actions keep the default user rate only).
        if self.action in ("change_password", "destroy"):
            self.throttle_scope = "password_change"
            return [*super().get_throttles(), ScopedUserThrottle()]
        return super().get_throttles()

    @extend_schema(responses=serializers.UserSerializer)
    def retrieve(self, request):
        """The signed-in user's profile."""
        return envelope("get profile success!", _user_data(request, request.user))

    @extend_schema(request=serializers.UserUpdateSerializer, responses=serializers.UserSerializer)
    def update(self, request):
        """Change name, username, email, time zone and/or the daily reminder (JSON or multipart);
        a new email must be verified."""
        user = services.user_update(user=request.user, **input_valid(serializers.UserUpdateSerializer, request.data))
        return envelope("update profile success!", _user_data(request, user), should_notify=True)

    @extend_schema(request=serializers.UserDeleteSerializer, responses=OpenApiTypes.OBJECT)
    def destroy(self, request):
        """Delete the account for good, the password re-confirmed: history, notes, tags,
        playlists and the picture go with it, and every token of the account stops working."""
        data = input_valid(serializers.UserDeleteSerializer, request.data)
        services.user_delete(user=request.user, password=data["password"])
        return envelope("account deleted!", should_notify=True)

    @extend_schema(request=serializers.PasswordChangeSerializer, responses=OpenApiTypes.OBJECT)
    def change_password(self, request):
        """Change the password; every other session ends."""
        data = input_valid(serializers.PasswordChangeSerializer, request.data)
        services.password_change(user=request.user, sid=request.auth.get("sid"), **data)
        return envelope("change password success!", should_notify=True)

    @extend_schema(request={"multipart/form-data": serializers.ProfilePictureSerializer}, responses=OpenApiTypes.OBJECT)
    def profile_picture(self, request):
        """Replace the profile picture (multipart `image`, PNG or JPEG)."""
        data = input_valid(serializers.ProfilePictureSerializer, request.data)
        profile_picture_replace(user=request.user, upload=data["image"])
        return envelope("upload image success!", should_notify=True)


def _user_data(request, user) -> dict:
    """The user object, its picture URL built for this request's host."""
    return serializers.UserSerializer(user, context={"request": request}).data
