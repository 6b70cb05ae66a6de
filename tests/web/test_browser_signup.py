"""In a real browser: a new person signs up, verifies the email with the code, lands on home."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.browser


def test_sign_up_verify_email_and_arrive_home(page, live_server, shoot):
    page.goto(live_server.url + "/")
    assert "from one selfie" in page.locator("h1").inner_text()
    shoot(page, "landing")

    page.get_by_role("link", name=re.compile("Sign up")).first.click()
    page.wait_for_url(f"{live_server.url}/register/")
    page.get_by_label("Name", exact=True).fill("Grace Hopper")
    page.get_by_label("Email", exact=True).fill("grace@example.com")
    page.get_by_label("Username", exact=True).fill("grace")
    page.get_by_label("Password", exact=True).fill("Compil3r-Queen-1952")
    page.get_by_label("Repeat the password").fill("Compil3r-Queen-1952")
    shoot(page, "register")
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(f"{live_server.url}/verify-email/")
    assert "We emailed a 6-digit code to grace@example.com" in page.locator(".messages").inner_text()
    assert page.get_by_label("Email").input_value() == "grace@example.com"
    assert len(mail.outbox) == 1
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)

    page.get_by_label("6-digit code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Verify my email").click()
    assert "Invalid or expired OTP." in page.locator("#id_otp_error").inner_text()  # next to the field
    shoot(page, "verify-email-error")

    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify my email").click()
    page.wait_for_url(f"{live_server.url}/home/")
    assert page.locator("h1").inner_text() == "Hi Grace Hopper!"
    assert "Email verified" in page.locator(".messages").inner_text()
    assert page.locator("svg.mood-chart").count() == 1
    shoot(page, "home-new-user")

    user = get_user_model().objects.get(username="grace")
    assert user.email_verified
    assert not page.problems, page.problems
