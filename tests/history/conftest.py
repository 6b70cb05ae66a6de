import pytest

from tests.factories import UserFactory

API = "/api/v1/"


@pytest.fixture
def other_user(db):
    """Someone else: their entries must never show, nor be changed, through the caller's requests."""
    return UserFactory()
