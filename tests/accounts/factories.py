"""Accounts factories on top of tests.factories.UserFactory."""

from rest_framework.test import APIClient

from accounts.services import token_pair_issue
from tests.factories import UserFactory


class UnverifiedUserFactory(UserFactory):
    email_verified = False


class InactiveUserFactory(UserFactory):
    is_active = False


def session_client(user, *, sid=None) -> APIClient:
    """An API client signed in as ``user`` in a new session (or session ``sid``); ``.tokens``."""
    client = APIClient()
    client.tokens = token_pair_issue(user=user, sid=sid)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {client.tokens['access_token']}")
    return client
