"""What makes Vexora installable, through the Django client: the web app manifest (name, start page,
theme colour, icons that load), the service worker served from the site's root with the offline
page and its assets, and the offline page itself. All same-origin, as the Content-Security-Policy
allows."""

import json

import pytest
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_and_the_theme_colour(client):
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#5534c4"' in page
    assert '<meta name="color-scheme" content="light dark">' in page


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["short_name"], manifest["display"]) == \
        ("Vexora — music for your mood", "Vexora", "standalone")
    assert (manifest["start_url"], manifest["scope"], manifest["theme_color"]) == ("/home/", "/", "#5534c4")
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_manifest_speaks_the_browser_language(client):
    manifest = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="id").content)

    assert (manifest["lang"], manifest["name"]) == ("id", "Vexora — musik untuk suasana hatimu")
    assert manifest["shortcuts"][0]["name"] == "Pindai suasana hatiku"


def test_the_service_worker_is_served_from_the_root_with_the_offline_page(client):
    response = client.get("/sw.js")

    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'var OFFLINE_URL = "/offline/";' in script
    assert f'"{static("css/app.css")}"' in script
    assert "caches.match(OFFLINE_URL)" in script


def test_the_offline_page_needs_nothing_but_its_own_assets(client):
    page = client.get("/offline/").content.decode()
    assert "You are offline" in page
    assert "<script" not in page
    assert "/static/css/app.css" in page
