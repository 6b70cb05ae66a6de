"""The one-time-code e-mails speak the recipient's language: the account's stored choice, else the
language of the page that asked for the mail, else English (the API asks in English)."""

import pytest
from django.contrib.auth import get_user_model

from accounts import services
from tests.accounts.factories import UnverifiedUserFactory
from tests.accounts.support import API, otp_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID_VERIFY = ("Kode verifikasi Vexora kamu", "Kode Vexora untuk memverifikasi alamat email kamu:")
EN_VERIFY = ("Your Vexora verification code", "Your Vexora code to verify your email address is:")
ID_RESET = ("Kode atur ulang kata sandi Vexora kamu", "Kode Vexora untuk mengatur ulang kata sandi kamu:")
EN_RESET = ("Your Vexora password reset code", "Your Vexora code to reset your password is:")


def assert_mail(message, wording, *, language: str):
    subject, intro = wording
    html = message.alternatives[0][0]
    assert message.subject == subject
    assert intro in message.body and intro in html
    assert otp_in(message.body)
    assert f'<html lang="{language}">' in html
    if language == "id":
        assert "5 menit" in message.body and "hanya bisa dipakai sekali" in message.body
        assert "expires" not in message.body and "Hello" not in message.body
    else:
        assert "It expires in 5 minutes and works only once." in message.body and "Hello," in message.body


@pytest.mark.parametrize("language, wording", [("id", ID_VERIFY), ("en", EN_VERIFY)])
def test_the_verification_mail_is_in_the_accounts_language(mailoutbox, language, wording):
    user = UnverifiedUserFactory(language=language)

    assert services.otp_deliver(email=user.email)

    assert_mail(mailoutbox[-1], wording, language=language)


@pytest.mark.parametrize("language, wording", [("id", ID_RESET), ("en", EN_RESET)])
def test_the_reset_mail_is_in_the_accounts_language(mailoutbox, language, wording):
    user = UserFactory(language=language)
    page_language = "en" if language == "id" else "id"

    assert services.otp_deliver(email=user.email, purpose=services.OTP_RESET_PASSWORD, language=page_language)

    assert_mail(mailoutbox[-1], wording, language=language)  # the stored choice wins over the page's


def test_signing_up_on_an_indonesian_page_stores_id_and_mails_in_indonesian(client, mailoutbox):
    form = {"name": "Rina Wijaya", "email": "rina@example.com", "username": "rina",
            "password": "Kopi-Susu-Gula-Aren-7", "password_confirm": "Kopi-Susu-Gula-Aren-7"}

    response = client.post("/register/", form, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 302
    assert get_user_model().objects.get(username="rina").language == "id"
    assert_mail(mailoutbox[-1], ID_VERIFY, language="id")
    assert "Akun berhasil dibuat." in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_an_account_without_a_language_gets_the_asking_pages_language(client, mailoutbox):
    user = UserFactory(language="")

    response = client.post("/forgot-password/", {"email": user.email}, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 302
    assert_mail(mailoutbox[-1], ID_RESET, language="id")


def test_an_account_without_a_language_gets_english_from_the_api(api_client, mailoutbox):
    user = UserFactory(language="")

    response = api_client.post(API + "send-otp", {"email": user.email}, format="json", HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200
    assert_mail(mailoutbox[-1], EN_RESET, language="en")


def test_a_task_queued_before_languages_existed_still_mails_in_english(mailoutbox):
    from accounts.tasks import otp_deliver

    user = UnverifiedUserFactory(language="")

    otp_deliver.delay(email=user.email)  # no language argument: an older message on the queue

    assert_mail(mailoutbox[-1], EN_VERIFY, language="en")
