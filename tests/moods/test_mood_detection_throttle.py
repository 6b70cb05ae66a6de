"""Each analysis costs CPU, so a user's selfie analyses are rate-limited (429 with a retry hint)."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/mood-detection"


def test_the_third_analysis_in_a_minute_is_refused_per_user(api_client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mood_detect": "2/min"}
    user, other = UserFactory(), UserFactory()
    api_client.force_authenticate(user=user)

    statuses = [api_client.post(URL, {}, format="multipart").status_code for _ in range(3)]

    assert statuses == [400, 400, 429]  # no image: refused by validation until the limit bites
    refused = api_client.post(URL, {}, format="multipart")
    body = refused.json()
    assert body["success"] is False and body["message"].startswith("too many requests, try again in")
    assert int(refused["Retry-After"]) > 0 and body["data"]["retry_after"] > 0

    api_client.force_authenticate(user=other)  # another account has its own allowance
    assert api_client.post(URL, {}, format="multipart").status_code == 400
