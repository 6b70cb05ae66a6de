"""A password form says every problem with the new password in one answer: too short, too common,
all numeric, too close to the name, the two copies differing, and (changing it) a wrong current
password, instead of one problem per try."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_UP = {"name": "John Doe", "email": "john@example.com", "username": "john_doe"}


def test_sign_up_lists_every_password_problem_at_once(client):
    response = client.post("/register/", {**SIGN_UP, "password": "1234", "password_confirm": "12345"})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["password"] == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert errors["password_confirm"] == ["The two passwords differ."]
    assert not get_user_model().objects.exists()


def test_a_password_like_the_username_is_refused_on_the_page(client):
    response = client.post("/register/", {**SIGN_UP, "password": "john_doe1", "password_confirm": "john_doe1"})

    assert response.context["form"].errors["password"] == ["The password is too similar to the username."]


def test_a_password_change_lists_the_wrong_current_password_with_the_new_ones_problems(signed_in):
    response = signed_in.post("/profile/password/", {"previous_password": "not-it", "new_password": "abc",
                                                     "password_confirm": "abd"})

    assert response.status_code == 400
    errors = response.context["password_form"].errors
    assert errors["previous_password"] == ["Current password is incorrect."]
    assert errors["new_password"] == ["This password is too short. It must contain at least 8 characters.",
                                      "This password is too common."]
    assert errors["password_confirm"] == ["The two passwords differ."]
    signed_in.user.refresh_from_db()
    assert signed_in.user.check_password(DEFAULT_PASSWORD)


def test_a_reset_lists_every_problem_with_the_new_password(client):
    response = client.post("/reset-password/", {"email": "ada@example.com", "otp": "123456", "new_password": "11111111",
                                                "password_confirm": "11111111"})

    assert response.context["form"].errors["new_password"] == ["This password is too common.",
                                                               "This password is entirely numeric."]
