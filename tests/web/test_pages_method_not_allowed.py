"""A page address that only takes a form, opened directly (a bookmark, a reload), answers a page
saying so in the page's language, with the Allow header; the API's 405 stays its JSON envelope."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/logout/", "/language/"])
def test_opening_a_form_only_address_shows_a_page(client, path):
    page = client.get(path)

    assert (page.status_code, page["Allow"]) == (405, "POST")
    assert page["Content-Type"].startswith("text/html")
    assert "This address only takes a form" in page.content.decode()


def test_the_page_speaks_the_signed_in_persons_language(signed_in):
    signed_in.user.language = "id"
    signed_in.user.save(update_fields=["language"])

    page = signed_in.get("/profile/delete/")

    assert page.status_code == 405 and page["Content-Language"] == "id"
    assert "Alamat ini hanya menerima formulir" in page.content.decode()
    assert 'href="/home/"' in page.content.decode()


def test_the_api_keeps_its_envelope(client):
    answer = client.get("/api/v1/logout")

    assert answer.status_code == 405
    assert answer.json()["success"] is False
