"""The Django admin for users: Django's UserAdmin adapted to Vexora's User."""

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.factories import UnverifiedUserFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.mark.parametrize("query", ["zelda", "ZQ@EXAMPLE", "quark"])
def test_users_are_searched_by_username_email_and_name(admin_client, query):
    UserFactory(username="zelda", email="zq@example.com", name="Zelda Quark")
    UserFactory(username="other", email="other@example.com", name="Someone Else")

    page = admin_client.get(CHANGELIST, {"q": query}).content.decode()

    assert "zq@example.com" in page and "other@example.com" not in page


def test_users_are_filtered_by_email_verified(admin_client):
    UnverifiedUserFactory(email="pending@example.com")
    UserFactory(email="verified@example.com")

    page = admin_client.get(CHANGELIST, {"email_verified__exact": "0"}).content.decode()

    assert "pending@example.com" in page and "verified@example.com" not in page
    for name in ("email_verified__exact", "is_staff__exact", "is_active__exact"):
        assert name in admin_client.get(CHANGELIST).content.decode()


def test_the_change_page_shows_uuid_and_created_at_read_only(admin_client):
    user = UserFactory()

    response = admin_client.get(f"{CHANGELIST}{user.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert str(user.uuid) in page
    assert 'name="uuid"' not in page and 'name="created_at"' not in page
    assert 'name="name"' in page and 'name="email_verified"' in page
    assert "first_name" not in page


def test_a_user_is_added_with_a_hashed_password(admin_client):
    response = admin_client.post(f"{CHANGELIST}add/", {
        "username": "new_admin_user", "email": "new@example.com", "name": "New Person",
        "usable_password": "true", "password1": "Blue-Falcon-93", "password2": "Blue-Falcon-93",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="new_admin_user")
    assert user.email == "new@example.com" and user.name == "New Person"
    assert user.check_password("Blue-Falcon-93")


@pytest.mark.parametrize("field, value", [("username", "TAKEN"), ("email", "Taken@Example.com")])
def test_duplicates_are_refused_whatever_the_case(admin_client, field, value):
    UserFactory(username="taken", email="taken@example.com")
    data = {"username": "fresh", "email": "fresh@example.com", "name": "X", "usable_password": "true",
            "password1": "Blue-Falcon-93", "password2": "Blue-Falcon-93"} | {field: value}

    response = admin_client.post(f"{CHANGELIST}add/", data)

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 2  # the admin and "taken"


def test_an_admin_can_log_in_with_the_email_address(client):
    get_user_model().objects.create_superuser("boss", "boss@example.com", "Blue-Falcon-93")

    response = client.post("/admin/login/", {"username": "BOSS@example.com", "password": "Blue-Falcon-93",
                                             "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
