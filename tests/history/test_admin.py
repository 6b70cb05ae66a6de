"""The admin lists history entries, filters them by mood and date, finds them by username or email,
and shows an entry's tracks inline."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_list_filters_and_search(admin_client):
    alice = UserFactory(username="alice", email="alice@example.com")
    bob = UserFactory(username="bob", email="bob@example.com")
    entry_with_tracks(user=alice, mood="happy", tracks=1)
    entry_with_tracks(user=bob, mood="sad", tracks=1)
    url = reverse("admin:history_historyentry_changelist")

    def listed(**params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return {entry.user.username for entry in response.context["cl"].result_list}

    assert listed() == {"alice", "bob"}
    assert listed(mood__exact="sad") == {"bob"}
    assert listed(q="alice") == {"alice"}
    assert listed(q="bob@example.com") == {"bob"}
    assert listed(created_at__gte="2000-01-01 00:00:00+00:00") == {"alice", "bob"}
    entry = alice.history_entries.get()
    assert listed(q=str(entry.uuid)) == {"alice"}


def test_an_entry_shows_its_tracks(admin_client):
    entry = entry_with_tracks(tracks=3)

    response = admin_client.get(reverse("admin:history_historyentry_change", args=[entry.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for item in entry.items.all():
        assert item.track_id in page
