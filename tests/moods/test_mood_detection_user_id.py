"""POST mood-detection: the person is the token's; a `user_id` in the form is ignored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from history.models import HistoryEntry
from tests.accounts.support import assert_envelope
from tests.factories import UserFactory
from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"


def test_a_user_id_in_the_form_is_ignored(auth_client):
    catalog_tracks(20)
    victim = UserFactory()
    selfie = SimpleUploadedFile("selfie.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")

    response = auth_client.post(URL, {"image": selfie, "user_id": str(victim.uuid)}, format="multipart")

    data = assert_envelope(response, 200, "mood detected successfully!")["data"]
    entry = HistoryEntry.objects.get(uuid=data["history_uuid"])
    assert entry.user == auth_client.user
    assert not HistoryEntry.objects.filter(user=victim).exists()
    assert HistoryEntry.objects.count() == 1
