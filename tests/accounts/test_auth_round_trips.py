"""An authenticated API request reads its user and the token's revocation in one query, and still
refuses a revoked token, a token of an ended session, an unknown or an inactive user."""

import pytest

from accounts.services import token_pair_issue
from tests.accounts.support import API, bearer

pytestmark = pytest.mark.django_db


def test_authentication_costs_one_query(api_client, user, django_assert_num_queries):
    auth = bearer(token_pair_issue(user=user)["access_token"])

    with django_assert_num_queries(1):  # GET user reads nothing else
        response = api_client.get(API + "user", **auth)

    assert response.status_code == 200


def test_a_revoked_token_is_refused(api_client, user):
    tokens = token_pair_issue(user=user)
    auth = bearer(tokens["access_token"])
    assert api_client.post(API + "logout", {"refresh_token": tokens["refresh_token"]}, format="json",
                           **auth).status_code == 200

    response = api_client.get(API + "user", **auth)

    assert response.status_code == 401 and response.json()["message"] == "token has been revoked"


def test_unknown_and_inactive_users_are_refused(api_client, user):
    from tests.factories import UserFactory

    gone = UserFactory()
    gone_auth = bearer(token_pair_issue(user=gone)["access_token"])
    gone.delete()
    auth = bearer(token_pair_issue(user=user)["access_token"])
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert api_client.get(API + "user", **gone_auth).status_code == 401
    assert api_client.get(API + "user", **auth).status_code == 401
