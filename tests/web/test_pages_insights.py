"""The insights page: numbers with their counts, nothing said without enough data, the rules
spelled out (history.summaries.history_insights)."""

import datetime as dt
import re

import pytest

from history.services import history_entry_update
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_a_new_person_sees_that_there_is_not_enough_data_yet(signed_in):
    text = words(signed_in.get("/insights/"))
    assert "neither week has that many yet" in text
    assert text.count("Too few readings (fewer than 5)") == 11  # 7 weekdays + 4 times of day
    assert "No tags in these days yet." in text
    assert "It needs 5 days on each side" in text


def test_a_tag_with_enough_days_is_compared_with_its_counts(signed_in):
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(5):
        entry = HistoryEntryFactory(user=signed_in.user, mood="happy", created_at=now - dt.timedelta(days=i))
        history_entry_update(entry=entry, tags=["exercise"])
    for i in range(5, 10):
        HistoryEntryFactory(user=signed_in.user, mood="sad", created_at=now - dt.timedelta(days=i))
    history_entry_update(entry=HistoryEntryFactory(user=signed_in.user, created_at=now), tags=["rain"])

    text = words(signed_in.get("/insights/"))

    assert ("On the 5 days tagged “exercise”, 5 (100%) were mostly happy; on the 5 other days with readings, "
            "0 (0%) were.") in text
    assert "unlikely to be chance alone (Fisher's exact test, p = 0.008)" in text
    assert "rain 1 day with, 9 without" in text


def test_the_period_can_be_chosen_and_a_bad_one_is_explained(signed_in):
    assert signed_in.get("/insights/", {"days": "30"}).context["insights"]["days"] == 30
    response = signed_in.get("/insights/", {"days": "0"})
    assert response.status_code == 400 and "Days must be a whole number from 1 to 365." in response.content.decode()
