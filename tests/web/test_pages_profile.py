"""The profile page: name and username, a new picture, a new password (the accounts services,
checked in the database and in storage)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def png(size=(300, 200), colour=(200, 80, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_profile_page_shows_the_current_values(signed_in):
    response = signed_in.get("/profile/")
    form = response.context["profile_form"]
    assert form["name"].value() == signed_in.user.name
    assert form["username"].value() == signed_in.user.username
    assert signed_in.user.email in response.content.decode()


def test_name_and_username_are_saved(signed_in):
    response = signed_in.post("/profile/", {"name": "Ada King", "username": "countess.ada"})
    assert (response.status_code, response["Location"]) == (302, "/profile/")
    signed_in.user.refresh_from_db()
    assert (signed_in.user.name, signed_in.user.username) == ("Ada King", "countess.ada")


def test_a_taken_username_is_refused_next_to_the_field(signed_in):
    other = UserFactory()
    response = signed_in.post("/profile/", {"name": "Ada", "username": other.username})
    assert response.status_code == 400
    assert response.context["profile_form"].errors["username"] == ["Username or email already exists."]
    signed_in.user.refresh_from_db()
    assert signed_in.user.username != other.username


def test_a_new_picture_is_stored_and_shown(signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.png", png(), content_type="image/png")
    response = signed_in.post("/profile/picture/", {"image": upload})
    assert (response.status_code, response["Location"]) == (302, "/profile/")
    user = signed_in.user
    user.refresh_from_db()
    assert user.file_id.startswith("local:profile-pictures/")
    stored = tmp_path / user.file_id.removeprefix("local:")
    with Image.open(stored) as picture:
        assert (picture.format, picture.size) == ("JPEG", (512, 512))
    assert user.profile_picture in signed_in.get("/profile/").content.decode()


def test_a_file_that_is_not_a_picture_is_refused_next_to_the_field(signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("me.png", b"GIF89a not really", content_type="image/png")
    response = signed_in.post("/profile/picture/", {"image": upload})
    assert response.status_code == 400
    assert response.context["picture_form"].errors["image"] == ["The file is not a PNG or JPEG image."]
    signed_in.user.refresh_from_db()
    assert signed_in.user.file_id == ""
    assert not any(tmp_path.rglob("*.jpg"))


def test_changing_the_password_keeps_this_session(signed_in, client):
    wrong = signed_in.post("/profile/password/", {"previous_password": "not-it", "new_password": "Fresh-Pass-2026",
                                                  "password_confirm": "Fresh-Pass-2026"})
    assert wrong.status_code == 400
    assert wrong.context["password_form"].errors["previous_password"] == ["Current password is incorrect."]

    response = signed_in.post("/profile/password/", {"previous_password": DEFAULT_PASSWORD,
                                                     "new_password": "Fresh-Pass-2026",
                                                     "password_confirm": "Fresh-Pass-2026"})
    assert (response.status_code, response["Location"]) == (302, "/profile/")
    signed_in.user.refresh_from_db()
    assert signed_in.user.check_password("Fresh-Pass-2026")
    assert signed_in.get("/home/").status_code == 200  # still signed in here
    assert signed_in.user.sessions_revoked_at is not None  # the API's tokens were ended


def test_other_browsers_are_signed_out_by_a_password_change(user, client, django_user_model):
    from django.test import Client

    mine, other = Client(), Client()
    mine.force_login(user)
    other.force_login(user)
    mine.post("/profile/password/", {"previous_password": DEFAULT_PASSWORD, "new_password": "Fresh-Pass-2026",
                                     "password_confirm": "Fresh-Pass-2026"})
    assert mine.get("/home/").status_code == 200
    assert other.get("/home/").status_code == 302


def test_the_profile_page_shares_the_limit_and_says_so(signed_in, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_change": "2/min"}
    form = {"new_password": "Fresh-Pass-2026", "password_confirm": "Fresh-Pass-2026"}
    for guess in ("guess-one", "guess-two"):
        signed_in.post("/profile/password/", {"previous_password": guess, **form})

    response = signed_in.post("/profile/password/", {"previous_password": DEFAULT_PASSWORD, **form})

    assert response.status_code == 400
    errors = response.context["password_form"].non_field_errors()
    assert len(errors) == 1 and re.fullmatch(r"Too many attempts, try again in \d+ seconds\.", errors[0])
    signed_in.user.refresh_from_db()
    assert signed_in.user.check_password(DEFAULT_PASSWORD)
