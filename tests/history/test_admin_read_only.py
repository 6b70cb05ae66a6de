"""In the admin, an entry is what the model read and what the person answered: staff can look and
delete, never edit or add; the confidence reads as a percentage."""

import pytest
from django.urls import reverse

from history.models import HistoryEntry
from tests.factories import UserFactory
from tests.history.factories import entry_with_tracks

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_entry_is_shown_read_only_with_its_confidence_in_percent(admin_client):
    entry = entry_with_tracks(mood="sad", confidence=0.734, tracks=2)
    url = reverse("admin:history_historyentry_change", args=[entry.pk])

    page = admin_client.get(url).content.decode()

    assert "73%" in page and "Sad 73%" in page
    assert 'name="mood"' not in page and 'name="confidence"' not in page and 'name="probabilities"' not in page
    assert 'name="_save"' not in page
    response = admin_client.post(url, {"mood": "happy", "confidence": "0.99", "strategy": "match"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.mood, entry.confidence) == ("sad", 0.734)


def test_the_list_shows_percentages_and_entries_cannot_be_added(admin_client):
    entry_with_tracks(mood="happy", confidence=0.5, tracks=0)

    page = admin_client.get(reverse("admin:history_historyentry_changelist")).content.decode()

    assert "50%" in page
    assert admin_client.get(reverse("admin:history_historyentry_add")).status_code == 403


def test_staff_can_still_delete_an_entry(admin_client):
    entry = entry_with_tracks(tracks=1)

    admin_client.post(reverse("admin:history_historyentry_delete", args=[entry.pk]), {"post": "yes"})

    assert not HistoryEntry.objects.filter(pk=entry.pk).exists()
