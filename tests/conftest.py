import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient


# Fixtures that make every test using them slow: the real shipped catalog (~28k tracks loaded into
# the database) and a real, if tiny, training run.
SLOW_FIXTURES = {"shipped_catalog", "tiny_weights"}


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(config, items):
    """``make test-fast`` runs ``-m "not slow"``: browser tests and tests on slow fixtures are slow too."""
    for item in items:
        if item.get_closest_marker("browser") or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _static_files_as_they_are():
    """Plain static names served from static/ (no collectstatic, never a stale collected copy);
    tests/vexora/test_static_files.py checks the hashed, compressed output of collectstatic."""
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        yield


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


@pytest.fixture(autouse=True)
def _no_covers_from_the_internet(settings):
    """No test reaches Spotify's oEmbed endpoint, and no cover is filled in a background thread
    behind a test's back: the tests about covers turn that on, with a local stub
    (tests/stubs/oembed.py, tests/stubs/spotify.py); else tracks keep their generated artwork."""
    settings.SPOTIFY_OEMBED_URL = ""
    settings.COVERS_FILL = False


@pytest.fixture
def api_client():
    return APIClient()


# Stub services (tests/stubs): fixtures imported here so every test can request them.
from tests.stubs import imagekit_stub  # noqa: E402,F401
from tests.stubs.oembed import oembed_stub  # noqa: E402,F401
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
