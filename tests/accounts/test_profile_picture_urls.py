"""A picture's URL is built for each request (its scheme and host) from where the picture is stored:
a change of host, port or SITE_URL breaks no avatar. Rows stored with absolute URLs are migrated."""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.accounts.support import API, assert_envelope
from tests.factories import UserFactory

migration = importlib.import_module("accounts.migrations.0003_profile_picture_location")


@pytest.mark.django_db
@pytest.mark.parametrize(("stored", "expected"), [
    ("", "http://vexora.test:8123/static/img/default-avatar.png"),
    ("profile-pictures/ada-1.jpg", "http://vexora.test:8123/media/profile-pictures/ada-1.jpg"),
    ("https://ik.imagekit.io/demo/ada.jpg", "https://ik.imagekit.io/demo/ada.jpg"),
])
def test_the_api_builds_the_url_for_the_host_asked(auth_client, settings, stored, expected):
    settings.ALLOWED_HOSTS = ["vexora.test"]
    settings.SITE_URL = "http://wrong.example:1"  # not used when there is a request
    get_user_model().objects.filter(pk=auth_client.user.pk).update(profile_picture=stored)

    data = assert_envelope(auth_client.get(API + "user", HTTP_HOST="vexora.test:8123"), 200)["data"]

    assert data["profile_picture"] == expected


@pytest.mark.django_db
def test_the_pages_show_the_avatar_from_this_host(client, settings):
    settings.ALLOWED_HOSTS = ["vexora.test"]
    settings.SITE_URL = "http://wrong.example:1"
    user = UserFactory(profile_picture="profile-pictures/ada-1.jpg")
    client.force_login(user)

    page = client.get("/profile/", HTTP_HOST="vexora.test:8123").content.decode()

    assert 'src="http://vexora.test:8123/media/profile-pictures/ada-1.jpg"' in page
    assert "wrong.example" not in page


@pytest.mark.parametrize(("url", "file_id", "location"), [
    ("http://127.0.0.1:8000/static/img/default-avatar.png", "", ""),
    ("http://old-host:9/static/img/default-avatar.png", "default-avatar", ""),
    ("http://127.0.0.1:8000/media/profile-pictures/a-1.jpg", "local:profile-pictures/a-1.jpg",
     "profile-pictures/a-1.jpg"),
    ("https://ik.imagekit.io/demo/a.jpg", "ik-file-1", "https://ik.imagekit.io/demo/a.jpg"),
])
def test_the_migration_keeps_where_each_picture_is(url, file_id, location):
    assert migration.location_from_url(url, file_id) == location


@pytest.mark.django_db(transaction=True)
def test_the_migration_rewrites_stored_rows_both_ways(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    executor = MigrationExecutor(connection)
    before, after = [("accounts", "0002_revoked_tokens")], [("accounts", "0003_profile_picture_location")]
    executor.migrate(before)
    OldUser = executor.loader.project_state(before).apps.get_model("accounts", "User")
    local = OldUser.objects.create(username="ada", email="ada@example.com", file_id="local:profile-pictures/a.jpg",
                                   profile_picture="http://localhost:8000/media/profile-pictures/a.jpg")
    default = OldUser.objects.create(username="bob", email="bob@example.com", file_id="",
                                     profile_picture="http://localhost:8000/static/img/default-avatar.png")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    User = executor.loader.project_state(after).apps.get_model("accounts", "User")
    assert User.objects.get(pk=local.pk).profile_picture == "profile-pictures/a.jpg"
    assert User.objects.get(pk=default.pk).profile_picture == ""

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert OldUser.objects.get(pk=local.pk).profile_picture == "http://127.0.0.1:8000/media/profile-pictures/a.jpg"
    assert OldUser.objects.get(pk=default.pk).profile_picture == "http://127.0.0.1:8000/static/img/default-avatar.png"
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
