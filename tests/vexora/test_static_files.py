"""Static files as served in production: collectstatic writes hashed names (a changed file gets a new
URL) and gzip copies; the pages link the hashed names; WhiteNoise serves them compressed with a
year-long immutable cache. Before any collectstatic the pages still work with plain names."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

pytestmark = pytest.mark.slow  # collectstatic runs (a few seconds each)
PRODUCTION = {"BACKEND": "vexora.staticfiles.StaticFilesStorage"}


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": PRODUCTION}):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_collected_files_have_hashed_names_and_gzip_copies(collected):
    url = static("css/app.css")

    assert url.startswith("/static/css/app.") and url.endswith(".css") and url != "/static/css/app.css"
    name = url.removeprefix("/static/")
    assert (collected / name).is_file() and (collected / f"{name}.gz").is_file()
    assert (collected / "staticfiles.json").is_file()


@pytest.mark.django_db
def test_the_pages_link_the_hashed_names(collected, client):
    page = client.get("/login/").content.decode()

    for name in ("css/app.css", "js/app.js", "img/logo.svg"):
        assert f'"{static(name)}"' in page
    assert '"/static/css/app.css"' not in page


def test_whitenoise_serves_them_compressed_with_a_long_immutable_cache(collected, settings):
    settings.WHITENOISE_USE_FINDERS = False
    middleware = WhiteNoiseMiddleware(lambda request: None)
    request = RequestFactory().get(static("css/app.css"), HTTP_ACCEPT_ENCODING="gzip")

    response = middleware(request)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]


def test_before_collectstatic_the_plain_names_are_used(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "never-collected"
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": PRODUCTION}):
        assert static("css/app.css") == "/static/css/app.css"
