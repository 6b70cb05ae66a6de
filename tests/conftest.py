import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clean_cache():
    """Every test starts with an empty cache (OTPs, throttles)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for production; tests hash hundreds of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client():
    return APIClient()


# Stub services (tests/stubs): fixtures imported here so every test can request them.
from tests.stubs import imagekit_stub  # noqa: E402,F401
from tests.stubs.smtp import smtp_down, smtp_stub  # noqa: E402,F401
from tests.servers import private_redis  # noqa: E402,F401  (a redis-server of a test's own)


@pytest.fixture
def user(db):
    """A verified, active account whose password is tests.factories.DEFAULT_PASSWORD."""
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def auth_client(user):
    """An API client signed in as ``user`` (a fresh session): ``.user``, ``.tokens``."""
    from accounts.services import token_pair_issue

    client = APIClient()
    client.user = user
    client.tokens = token_pair_issue(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {client.tokens['access_token']}")
    return client
