"""JWT authentication for the API (DRF's default, see settings.REST_FRAMEWORK)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from accounts import selectors


class RevocableJWTAuthentication(JWTAuthentication):
    """SimpleJWT's JWTAuthentication, also refusing tokens revoked by logout or refresh, and
    tokens of sessions ended by a password change or reset."""

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if selectors.token_is_revoked(token=token):
            raise AuthenticationFailed("token has been revoked", code="token_revoked")
        return token

    def get_user(self, validated_token):
        user = super().get_user(validated_token)  # unknown or inactive users are refused here
        if not selectors.token_session_is_active(user=user, token=validated_token):
            raise AuthenticationFailed("session has ended, please log in again", code="session_ended")
        return user


class OptionalJWTAuthentication(RevocableJWTAuthentication):
    """For logout: a missing, expired or revoked access token is ignored instead of refused."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            return None


class RevocableJWTScheme(SimpleJWTScheme):
    """OpenAPI (drf-spectacular): these are SimpleJWT Bearer tokens."""

    target_class = RevocableJWTAuthentication
