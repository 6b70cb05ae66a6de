"""On an Indonesian page, the account forms say what is wrong in Indonesian: the form's own checks,
Django's, and the accounts service's errors (which the API keeps saying in English)."""

import pytest

from tests.accounts.factories import UnverifiedUserFactory
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def errors_of(response, form="form") -> list[str]:
    return [error for errors in response.context[form].errors.values() for error in errors]


def test_a_wrong_password_on_the_login_page(client):
    user = UserFactory()

    response = client.post("/login/", {"identifier": user.username, "password": "not-the-password"}, **ID)

    assert response.status_code == 400
    assert errors_of(response) == ["Nama pengguna atau kata sandi salah."]
    page = response.content.decode()
    assert "Nama pengguna atau kata sandi salah." in page and "Invalid username or password" not in page


def test_an_unverified_address_on_the_login_page(client):
    user = UnverifiedUserFactory()

    response = client.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD}, **ID)

    page = response.content.decode()
    assert "Email belum diverifikasi, verifikasi email kamu dulu." in page
    assert "Alamat emailmu belum diverifikasi." in page and "Kirimi aku kode baru" in page


def test_missing_and_mismatched_fields_on_the_sign_up_page(client):
    response = client.post("/register/", {"name": "", "email": "rina@example.com", "username": "rina",
                                          "password": "Kopi-Susu-Gula-Aren-7", "password_confirm": "Kopi-Susu-7"}, **ID)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["name"] == ["Bidang ini harus diisi."]
    assert form.errors["password_confirm"] == ["Kedua kata sandi tidak sama."]
    assert "This field is required." not in response.content.decode()


def test_a_taken_username_and_a_bad_one_on_the_sign_up_page(client):
    UserFactory(username="rina")
    base = {"name": "Rina", "email": "rina2@example.com", "password": "Kopi-Susu-Gula-Aren-7",
            "password_confirm": "Kopi-Susu-Gula-Aren-7"}

    taken = client.post("/register/", {**base, "username": "rina"}, **ID)
    bad = client.post("/register/", {**base, "username": "no spaces"}, **ID)

    assert errors_of(taken) == ["Nama pengguna atau email sudah terdaftar."]
    assert errors_of(bad) == ["Gunakan 3 sampai 30 karakter: huruf, angka, '_' atau '.'."]


def test_a_wrong_code_on_the_verification_page(client):
    user = UnverifiedUserFactory()

    response = client.post("/verify-email/", {"email": user.email, "otp": "000000"}, **ID)

    assert errors_of(response) == ["Kode OTP salah atau sudah kedaluwarsa."]


def test_the_same_errors_stay_english_by_default(client):
    user = UserFactory()

    response = client.post("/login/", {"identifier": user.username, "password": "not-the-password"})

    assert errors_of(response) == ["Invalid username or password."]
