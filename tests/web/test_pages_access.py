"""Every page: who may see it, CSRF on every form, and the 404/500/403 pages in the site's style
(while /api/ keeps answering in the JSON envelope)."""

import re

import pytest
from django.test import Client

from tests.factories import DEFAULT_PASSWORD
from tests.history.factories import entry_with_tracks
from tests.music.factories import PlaylistFactory

pytestmark = pytest.mark.django_db

PUBLIC = ["/", "/register/", "/verify-email/", "/login/", "/forgot-password/", "/reset-password/"]
PRIVATE = ["/home/", "/scan/", "/history/", "/playlists/", "/profile/", "/calendar/", "/calendar/year/", "/insights/"]
FORM_PAGES = ["/register/", "/verify-email/", "/login/", "/forgot-password/", "/reset-password/"]
PRIVATE_FORM_PAGES = ["/scan/", "/playlists/", "/profile/"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_open_to_anyone(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<a class="skip-link" href="#main">' in response.content
    assert b'/static/css/app.css' in response.content


@pytest.mark.parametrize("path", PRIVATE + ["/result/7b7f0a52-4a0e-4d7e-9c55-0e7c1f9b6a11/",
                                            "/playlists/7b7f0a52-4a0e-4d7e-9c55-0e7c1f9b6a11/"])
def test_private_pages_send_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize("path", PRIVATE)
def test_private_pages_open_when_signed_in(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert b"Log out" in response.content


def test_signed_in_people_skip_the_log_in_and_sign_up_pages(signed_in):
    for path in ("/login/", "/register/"):
        response = signed_in.get(path)
        assert (response.status_code, response["Location"]) == (302, "/home/")


@pytest.mark.parametrize("path", FORM_PAGES)
def test_every_public_form_carries_a_csrf_token(client, path):
    content = client.get(path).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", content, flags=re.S)
    assert forms, path
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def test_every_private_form_carries_a_csrf_token(signed_in):
    entry = entry_with_tracks(user=signed_in.user, tracks=2)
    playlist = PlaylistFactory(user=signed_in.user)
    paths = PRIVATE_FORM_PAGES + ["/history/", "/home/", f"/result/{entry.uuid}/", f"/playlists/{playlist.uuid}/"]
    for path in paths:
        content = signed_in.get(path).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", content, flags=re.S)
        assert forms, path
        assert all('name="csrfmiddlewaretoken"' in form for form in forms), path


def test_a_post_without_the_csrf_token_is_refused_with_a_styled_page(user):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/login/", {"identifier": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert b"That form expired" in response.content
    assert b"/static/css/app.css" in response.content
    assert "_auth_user_id" not in browser.session


def test_the_scan_upload_checks_csrf_too(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post("/scan/", {"strategy": "match"})
    assert response.status_code == 403


def test_logging_out_takes_a_post(signed_in):
    assert signed_in.get("/logout/").status_code == 405
    response = signed_in.post("/logout/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get("/home/").status_code == 302


def test_unknown_pages_get_the_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"We could not find that page" in response.content
    assert b"/static/css/app.css" in response.content


def test_api_paths_keep_the_json_envelope_for_404(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"success": False, "shouldNotify": True, "message": "not found", "data": None}


def test_a_failing_page_gets_the_styled_500_without_details(client, settings):
    settings.ROOT_URLCONF = "tests.web.urls_faults"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"/static/css/app.css" in response.content
    assert b"secret detail" not in response.content
