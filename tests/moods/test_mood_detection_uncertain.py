"""A reading below settings.MOOD_CONFIDENCE_THRESHOLD is flagged uncertain, so the page can ask the
person to confirm it; the entry is stored all the same."""

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from history.models import HistoryEntry
from moods.services import mood_detect, mood_uncertain
from tests.history.factories import catalog_tracks
from tests.moods.conftest import ASTRONAUT

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"


@pytest.fixture(autouse=True)
def catalog(db):
    return catalog_tracks(20)


def _detect(client):
    selfie = SimpleUploadedFile("selfie.jpg", ASTRONAUT.read_bytes(), content_type="image/jpeg")
    return client.post(URL, {"image": selfie}, format="multipart").json()["data"]


def test_the_flag_says_whether_the_confidence_is_below_the_threshold(auth_client, settings):
    settings.MOOD_CONFIDENCE_THRESHOLD = 0.0
    sure = _detect(auth_client)
    assert sure["uncertain"] is False

    settings.MOOD_CONFIDENCE_THRESHOLD = sure["confidence"]  # not below: still sure
    assert _detect(auth_client)["uncertain"] is False

    settings.MOOD_CONFIDENCE_THRESHOLD = math.nextafter(sure["confidence"], 1.0)
    unsure = _detect(auth_client)
    assert unsure["uncertain"] is True
    assert (unsure["detected_mood"], unsure["confidence"]) == (sure["detected_mood"], sure["confidence"])
    assert HistoryEntry.objects.filter(user=auth_client.user).count() == 3  # an uncertain reading is kept too


def test_the_service_result_carries_the_flag(user, settings, astronaut):
    settings.MOOD_CONFIDENCE_THRESHOLD = 1.5  # no confidence reaches it

    result = mood_detect(user=user, image=astronaut)

    assert result.uncertain is True
    assert mood_uncertain(confidence=result.entry.confidence) is True
    settings.MOOD_CONFIDENCE_THRESHOLD = 0.6
    assert mood_uncertain(confidence=0.59) is True and mood_uncertain(confidence=0.6) is False
