"""The account pages, through the Django client: sign-up and email verification, logging in and
out with a session, forgotten password. Outcomes are checked in the database and the mailbox."""

import pytest
from django.contrib.auth import get_user_model

from accounts.selectors import otp_pending
from tests.accounts.factories import UnverifiedUserFactory
from tests.accounts.support import otp_in, otp_mailed_to
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD = {"name": "Grace Hopper", "email": "grace@example.com", "username": "grace",
        "password": "Compil3r-Queen-1952", "password_confirm": "Compil3r-Queen-1952"}


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def signed_in_as(client):
    return client.session.get("_auth_user_id")


# --- Sign-up ----------------------------------------------------------------------------------
def test_sign_up_creates_an_unverified_account_and_mails_a_code(client, mailoutbox):
    response = client.post("/register/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/verify-email/"
    user = User.objects.get(username="grace")
    assert (user.name, user.email, user.email_verified) == ("Grace Hopper", "grace@example.com", False)
    assert user.check_password(GOOD["password"])
    assert otp_in(mailoutbox[0].body) and mailoutbox[0].to == ["grace@example.com"]
    assert not signed_in_as(client)


@pytest.mark.parametrize("changes, field, message", [
    ({"username": "no spaces"}, "username", "Use 3 to 30 characters: letters, digits, '_' or '.'."),
    ({"password_confirm": "Something-else-1"}, "password_confirm", "The two passwords differ."),
    ({"password": "12345678", "password_confirm": "12345678"}, "password", "This password is too common."),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"name": ""}, "name", "This field is required."),
])
def test_sign_up_errors_show_next_to_their_field(client, changes, field, message):
    response = client.post("/register/", {**GOOD, **changes})
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.filter(username=GOOD["username"]).exists()


def test_a_taken_username_is_refused_by_the_service(client, user):
    response = client.post("/register/", {**GOOD, "username": user.username.upper()})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Username or email already exists."]
    content = response.content.decode()
    assert content.count("Username or email already exists.") == 1  # said once, above the form
    assert "Please correct" not in content


# --- Email verification -----------------------------------------------------------------------
def test_the_code_verifies_the_email_and_signs_in_the_browser_that_signed_up(client, mailoutbox):
    client.post("/register/", GOOD)
    code = otp_mailed_to(mailoutbox, GOOD["email"])

    wrong = client.post("/verify-email/", {"email": GOOD["email"], "otp": f"{(int(code) + 1) % 10**6:06d}"})
    assert wrong.status_code == 400
    assert field_errors(wrong, "otp") == ["Invalid or expired OTP."]

    response = client.post("/verify-email/", {"email": GOOD["email"], "otp": code})
    assert (response.status_code, response["Location"]) == (302, "/home/")
    user = User.objects.get(username="grace")
    assert user.email_verified
    assert signed_in_as(client) == str(user.pk)
    assert not otp_pending(email=user.email, purpose="verify-email")


def test_verifying_from_another_browser_asks_to_log_in(client, mailoutbox):
    user = UnverifiedUserFactory()
    client.post("/verify-email/resend/", {"email": user.email})
    code = otp_mailed_to(mailoutbox, user.email)
    response = client.post("/verify-email/", {"email": user.email, "otp": code})
    assert (response.status_code, response["Location"]) == (302, "/login/")
    user.refresh_from_db()
    assert user.email_verified
    assert not signed_in_as(client)


def test_resending_a_code_waits_for_the_cooldown(client, mailoutbox):
    user = UnverifiedUserFactory()
    first = client.post("/verify-email/resend/", {"email": user.email}, follow=True)
    assert "a new code is on its way" in first.content.decode()
    assert len(mailoutbox) == 1
    second = client.post("/verify-email/resend/", {"email": user.email}, follow=True)
    assert "Please wait" in second.content.decode()
    assert len(mailoutbox) == 1


# --- Log in and out ---------------------------------------------------------------------------
@pytest.mark.parametrize("identifier", ["username", "email"])
def test_log_in_with_username_or_email_starts_a_session(client, user, identifier):
    response = client.post("/login/", {"identifier": getattr(user, identifier).upper(), "password": DEFAULT_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/home/")
    assert signed_in_as(client) == str(user.pk)
    user.refresh_from_db()
    assert user.last_login is not None


def test_log_in_goes_back_to_the_page_asked_for_but_never_off_site(client, user):
    response = client.post("/login/?next=/playlists/", {"identifier": user.username, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/playlists/"
    client.logout()
    response = client.post("/login/?next=https://evil.example/", {"identifier": user.username,
                                                                  "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/home/"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, user):
    response = client.post("/login/", {"identifier": user.username, "password": "nope-nope-nope"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Invalid username or password."]
    assert not signed_in_as(client)


def test_an_unverified_account_is_offered_a_new_code(client):
    user = UnverifiedUserFactory()
    response = client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Email not verified, please verify your email first."]
    assert response.context["unverified_email"] == user.email
    assert b"Email me a new code" in response.content
    assert not signed_in_as(client)


def test_log_in_is_rate_limited_like_the_api(client, user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login": "3/min"}
    for _ in range(3):
        client.post("/login/", {"identifier": user.username, "password": "wrong-password"})
    response = client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Too many attempts, try again in" in response.context["form"].non_field_errors()[0]
    assert not signed_in_as(client)


# --- Forgotten password -----------------------------------------------------------------------
def test_forgot_password_mails_a_code_that_sets_a_new_password(client, user, mailoutbox):
    response = client.post("/forgot-password/", {"email": user.email})
    assert response["Location"] == "/reset-password/"
    assert client.get(response["Location"]).context["form"]["email"].value() == user.email
    code = otp_mailed_to(mailoutbox, user.email)

    # A fixed name: the factory's random one was once "too similar" to "password", a second error.
    user.name = "Ada Lovelace"
    user.save(update_fields=["name"])
    weak = client.post("/reset-password/", {"email": user.email, "otp": code, "new_password": "password",
                                            "password_confirm": "password"})
    assert weak.status_code == 400
    assert field_errors(weak, "new_password") == ["This password is too common."]

    response = client.post("/reset-password/", {"email": user.email, "otp": code, "new_password": "Brand-New-Pass-77",
                                                "password_confirm": "Brand-New-Pass-77"})
    assert (response.status_code, response["Location"]) == (302, "/login/")
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-77")


def test_forgot_password_answers_the_same_for_unknown_addresses(client, mailoutbox):
    response = client.post("/forgot-password/", {"email": "nobody@example.com"}, follow=True)
    assert "If nobody@example.com belongs to an account" in response.content.decode()
    assert mailoutbox == []


def test_a_wrong_reset_code_changes_nothing(client, user):
    response = client.post("/reset-password/", {"email": user.email, "otp": "123456",
                                                "new_password": "Brand-New-Pass-77",
                                                "password_confirm": "Brand-New-Pass-77"})
    assert response.status_code == 400
    assert field_errors(response, "otp") == ["Invalid or expired OTP."]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
