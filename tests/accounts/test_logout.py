"""POST /api/v1/logout: revokes the session of the refresh token (every token of that login)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import RevokedToken
from accounts.services import token_pair_issue
from tests.accounts.support import API, assert_envelope, bearer

pytestmark = pytest.mark.django_db

URL = API + "logout"


def test_logout_revokes_the_refresh_and_the_access_token(auth_client):
    tokens = auth_client.tokens

    response = auth_client.post(URL, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert_envelope(response, 200, "logout success!", notify=False, data=None)
    assert RevokedToken.objects.filter(kind="sid", value=RefreshToken(tokens["refresh_token"])["sid"]).exists()
    assert RevokedToken.objects.filter(kind="jti", value=AccessToken(tokens["access_token"])["jti"]).exists()
    cache.clear()  # the database is the record: a cache wipe revives nothing
    me = auth_client.get(API + "user")
    assert_envelope(me, 401, "token has been revoked")
    again = APIClient().post(API + "refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert_envelope(again, 401, "invalid or expired refresh token")


def test_logout_without_a_bearer_token_still_ends_every_token_of_the_session(api_client, user):
    tokens = token_pair_issue(user=user)
    other_session = token_pair_issue(user=user)

    assert_envelope(api_client.post(URL, {"refresh_token": tokens["refresh_token"]}, format="json"), 200)

    refreshed = api_client.post(API + "refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert_envelope(refreshed, 401, "invalid or expired refresh token")
    assert_envelope(api_client.get(API + "user", **bearer(tokens["access_token"])), 401, "token has been revoked")
    assert_envelope(api_client.get(API + "user", **bearer(other_session["access_token"])), 200)


@pytest.mark.parametrize("header", ["Bearer not.a.token", "Bearer", "Bearer a b"])
def test_a_bad_bearer_header_does_not_prevent_logout(api_client, user, header):
    tokens = token_pair_issue(user=user)
    body = {"refresh_token": tokens["refresh_token"]}

    response = api_client.post(URL, body, format="json", HTTP_AUTHORIZATION=header)

    assert_envelope(response, 200, "logout success!")


def test_other_sessions_stay_signed_in(api_client, user):
    mine, other = token_pair_issue(user=user), token_pair_issue(user=user)

    api_client.post(URL, {"refresh_token": mine["refresh_token"]}, format="json", **bearer(mine["access_token"]))

    assert_envelope(api_client.get(API + "user", **bearer(other["access_token"])), 200)
    assert_envelope(api_client.post(API + "refresh", {"refresh_token": other["refresh_token"]}, format="json"), 200)


@pytest.mark.parametrize("raw", ["garbage", "used"])
def test_an_invalid_or_used_refresh_token_is_a_401(api_client, user, raw):
    tokens = token_pair_issue(user=user)
    if raw == "used":
        api_client.post(URL, {"refresh_token": tokens["refresh_token"]}, format="json")
        raw = tokens["refresh_token"]

    response = api_client.post(URL, {"refresh_token": raw}, format="json")

    assert_envelope(response, 401, "invalid or expired refresh token")


def test_missing_refresh_token_is_a_400(auth_client):
    body = assert_envelope(auth_client.post(URL, {}, format="json"), 400)

    assert "refresh_token" in body["errors"]
    assert_envelope(auth_client.get(API + "user"), 200)  # nothing was revoked
