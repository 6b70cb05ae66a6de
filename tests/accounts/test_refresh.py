"""POST /api/v1/refresh: rotation; a used, revoked or ended-session refresh token is refused."""

import pytest
from django.core.cache import cache
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import RevokedToken
from accounts.services import token_pair_issue
from tests.accounts.factories import session_client
from tests.accounts.support import API, assert_envelope, bearer

pytestmark = pytest.mark.django_db

URL = API + "refresh"
INVALID = "invalid or expired refresh token"


def _refresh(client, refresh_token):
    return client.post(URL, {"refresh_token": refresh_token}, format="json")


def test_refresh_rotates_to_a_new_pair_of_the_same_session(api_client, user):
    old = token_pair_issue(user=user)

    data = assert_envelope(_refresh(api_client, old["refresh_token"]), 200, "refresh token success!", notify=False)[
        "data"
    ]

    assert set(data) == {"access_token", "refresh_token"}
    assert data["refresh_token"] != old["refresh_token"] and data["access_token"] != old["access_token"]
    new_refresh, old_refresh = RefreshToken(data["refresh_token"]), RefreshToken(old["refresh_token"])
    assert new_refresh["sid"] == old_refresh["sid"] == AccessToken(data["access_token"])["sid"]
    assert new_refresh["user_uuid"] == str(user.uuid)
    assert RevokedToken.objects.filter(kind="jti", value=old_refresh["jti"]).exists()
    assert_envelope(api_client.get(API + "user", **bearer(data["access_token"])), 200)


def test_a_used_refresh_token_stops_working(api_client, user):
    old = token_pair_issue(user=user)
    _refresh(api_client, old["refresh_token"])
    cache.clear()  # revocations live in the database: a cache wipe (Redis restart) revives nothing

    assert_envelope(_refresh(api_client, old["refresh_token"]), 401, INVALID, notify=True, data=None)


def test_reusing_a_rotated_refresh_token_revokes_its_whole_session(api_client, user):
    old = token_pair_issue(user=user)
    new = _refresh(api_client, old["refresh_token"]).json()["data"]
    other_login = token_pair_issue(user=user)

    assert_envelope(_refresh(api_client, old["refresh_token"]), 401, INVALID)  # reuse: a thief or a replay

    assert_envelope(_refresh(api_client, new["refresh_token"]), 401, INVALID)
    assert_envelope(api_client.get(API + "user", **bearer(new["access_token"])), 401, "token has been revoked")
    assert_envelope(_refresh(api_client, other_login["refresh_token"]), 200)  # other logins are not touched


def test_an_expired_refresh_token_is_refused(api_client, user):
    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-token.lifetime - token.lifetime)  # expired long ago

    assert_envelope(_refresh(api_client, str(token)), 401, INVALID)


@pytest.mark.parametrize("raw", ["garbage", "a.b.c", ""])
def test_a_malformed_refresh_token_is_refused(api_client, raw):
    response = _refresh(api_client, raw)

    assert response.status_code in (400, 401)
    if raw:
        assert_envelope(response, 401, INVALID)
    else:
        assert "refresh_token" in assert_envelope(response, 400)["errors"]


def test_an_access_token_is_not_a_refresh_token(api_client, user):
    access = token_pair_issue(user=user)["access_token"]

    assert_envelope(_refresh(api_client, access), 401, INVALID)


def test_a_token_signed_with_another_key_is_refused(api_client, user):
    forged = token_pair_issue(user=user)["refresh_token"].rsplit(".", 1)[0] + ".c2lnbmF0dXJl"

    assert_envelope(_refresh(api_client, forged), 401, INVALID)


def test_an_inactive_or_deleted_user_cannot_refresh(api_client, user):
    first, second = token_pair_issue(user=user), token_pair_issue(user=user)

    user.is_active = False
    user.save()
    assert_envelope(_refresh(api_client, first["refresh_token"]), 401, INVALID)
    user.delete()
    assert_envelope(_refresh(api_client, second["refresh_token"]), 401, INVALID)


def test_refresh_respects_a_password_change_in_another_session(api_client, user):
    other = token_pair_issue(user=user)
    current = session_client(user)

    changed = current.put(
        API + "user/change-password",
        {"previous_password": "Correct-Horse-42", "new_password": "Another-Horse-77"},
        format="json",
    )
    assert_envelope(changed, 200)

    assert_envelope(_refresh(api_client, other["refresh_token"]), 401, INVALID)
    assert_envelope(_refresh(api_client, current.tokens["refresh_token"]), 200)


def test_refresh_tokens_issued_after_sessions_ended_work(api_client, user):
    from accounts.services import password_change

    password_change(user=user, previous_password="Correct-Horse-42", new_password="Another-Horse-77", sid=None)
    fresh = token_pair_issue(user=user)  # same second as the change, still newer

    assert_envelope(_refresh(api_client, fresh["refresh_token"]), 200)


def test_missing_refresh_token_is_a_400(api_client):
    assert "refresh_token" in assert_envelope(api_client.post(URL, {}, format="json"), 400)["errors"]
