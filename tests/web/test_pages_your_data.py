"""The profile page's "Your data": download everything as a zip, delete the account for good (the
same services as GET user/export and DELETE user)."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model

from history.services import history_entry_update
from tests.accounts.leftovers import rows_about_user
from tests.factories import DEFAULT_PASSWORD
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


def test_the_profile_page_offers_the_download_and_the_deletion(signed_in):
    page = signed_in.get("/profile/").content.decode()
    assert 'href="/profile/export/" download' in page
    assert 'action="/profile/delete/"' in page


def test_the_download_is_the_persons_data(signed_in):
    entry = entry_with_tracks(user=signed_in.user, tracks=2)
    history_entry_update(entry=entry, note="hello", tags=["work"])

    response = signed_in.get("/profile/export/")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert re.fullmatch(rf'attachment; filename="vexora-data-{signed_in.user.username}-\d{{4}}-\d{{2}}-\d{{2}}\.zip"',
                        response["Content-Disposition"])
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        (item,) = json.loads(archive.read("history.json"))
    assert (item["note"], item["tags"], len(item["tracks"])) == ("hello", ["work"], 2)


def test_too_many_downloads_are_explained_on_the_profile_page(signed_in, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "data_export": "1/hour"}
    assert signed_in.get("/profile/export/").status_code == 200
    response = signed_in.get("/profile/export/", follow=True)
    assert response.redirect_chain[-1][0] == "/profile/#data-title"
    assert "Too many attempts, try again in" in response.content.decode()


def test_deleting_the_account_needs_the_password_and_the_tick(signed_in):
    user = signed_in.user
    entry_with_tracks(user=user, tracks=1)

    response = signed_in.post("/profile/delete/", {"password": "wrong-password", "confirm": "on"})
    assert response.status_code == 400
    assert response.context["delete_form"].errors["password"] == ["Current password is incorrect."]
    response = signed_in.post("/profile/delete/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert response.context["delete_form"].errors["confirm"] == ["Tick the box to confirm."]
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_the_account_signs_out_and_leaves_nothing(signed_in):
    user = signed_in.user
    history_entry_update(entry=entry_with_tracks(user=user, tracks=2), note="x", tags=["mine"])

    response = signed_in.post("/profile/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Your account and all its data were deleted." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert rows_about_user(user) == []
    assert signed_in.get("/home/")["Location"].startswith("/login/")
