"""JWT authentication for the API (DRF's default, see settings.REST_FRAMEWORK)."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework import exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import selectors


class RevocableJWTAuthentication(JWTAuthentication):
    """SimpleJWT's JWTAuthentication, also refusing tokens revoked by logout or refresh, and
    tokens of sessions ended by a password change or reset. The user and the revocation are read
    in one query (``selectors.token_user_with_revocation``)."""

    def get_user(self, validated_token):
        if jwt_settings.USER_ID_CLAIM not in validated_token:
            raise InvalidToken("Token contained no recognizable user identification")
        user = selectors.token_user_with_revocation(token=validated_token)
        if user is None:  # deleted (its revocations went with it)
            raise AuthenticationFailed("User not found", code="user_not_found")
        if user.token_revoked:
            raise AuthenticationFailed("token has been revoked", code="token_revoked")
        if not user.is_active:
            raise AuthenticationFailed("User is inactive", code="user_inactive")
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
