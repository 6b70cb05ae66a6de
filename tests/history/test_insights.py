"""Insights that are true: this week against last week, mood by weekday, by time of day and by
tag, each shown only with enough data (the rules in history.summaries), in the person's own days.
GET history/insights and history.summaries.history_insights."""

import datetime as dt

import pytest

from history.services import history_entry_update
from history.summaries import (
    SLOT_MIN_READINGS,
    TAG_MIN_DAYS,
    WEEK_MIN_READINGS,
    fisher_exact_two_sided,
    history_insights,
)
from tests.accounts.support import assert_envelope
from tests.history.conftest import API
from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # a Thursday


def reading(user, when: dt.datetime, mood: str, tags=()):
    entry = HistoryEntryFactory(user=user, mood=mood, created_at=when)
    if tags:
        history_entry_update(entry=entry, tags=list(tags))
    return entry


def test_this_week_so_far_and_last_week(user):
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for offset, mood in enumerate(["happy", "happy", "sad"]):  # Mon-Wed this week
        reading(user, monday + dt.timedelta(days=offset), mood)
    for offset, mood in enumerate(["sad", "sad", "angry", "happy"]):  # last week
        reading(user, monday - dt.timedelta(days=7 - offset), mood)
    reading(user, monday - dt.timedelta(days=8), "neutral")  # the Sunday before last week

    weeks = history_insights(user=user, now=NOW)["weeks"]

    assert (weeks["this"]["from"], weeks["this"]["to"]) == ("2026-11-23", "2026-11-26")
    assert (weeks["last"]["from"], weeks["last"]["to"]) == ("2026-11-16", "2026-11-22")
    assert weeks["this"]["readings"] == 3 and weeks["this"]["days"] == 3
    assert weeks["this"]["shares"] == {"happy": 0.6667, "sad": 0.3333, "angry": 0.0, "neutral": 0.0}
    assert weeks["last"]["counts"] == {"happy": 1, "sad": 2, "angry": 1, "neutral": 0}
    assert weeks["last"]["shares"]["sad"] == 0.5
    assert weeks["comparable"] is True


def test_the_persons_correction_counts_not_the_models_reading(user):
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for offset in range(3):
        HistoryEntryFactory(user=user, mood="sad", corrected_mood="happy", created_at=monday + dt.timedelta(days=offset))

    found = history_insights(user=user, now=NOW)

    assert found["weeks"]["this"]["counts"] == {"happy": 3, "sad": 0, "angry": 0, "neutral": 0}
    assert next(row for row in found["weekdays"] if row["weekday"] == "monday")["counts"]["happy"] == 1


def test_a_week_with_too_few_readings_gets_no_shares(user):
    reading(user, dt.datetime(2026, 11, 24, 9, tzinfo=UTC), "happy")
    for offset in range(WEEK_MIN_READINGS):
        reading(user, dt.datetime(2026, 11, 17, 9, tzinfo=UTC) + dt.timedelta(days=offset), "sad")

    weeks = history_insights(user=user, now=NOW)["weeks"]

    assert weeks["this"]["readings"] == 1 and weeks["this"]["shares"] is None and not weeks["this"]["enough"]
    assert weeks["last"]["shares"]["sad"] == 1.0
    assert weeks["comparable"] is False


def test_weekdays_and_times_of_day_follow_the_persons_clock(user):
    user.time_zone = "America/New_York"  # UTC-5 in November
    user.save()
    # 02:00 UTC on Wednesdays is 21:00 on Tuesdays in New York: evening, Tuesday.
    for week in range(SLOT_MIN_READINGS):
        reading(user, dt.datetime(2026, 11, 25, 2, 0, tzinfo=UTC) - dt.timedelta(weeks=week), "happy")
    reading(user, dt.datetime(2026, 11, 20, 14, 0, tzinfo=UTC), "sad")  # Friday 09:00 there

    insights = history_insights(user=user, now=NOW)

    days = {row["weekday"]: row for row in insights["weekdays"]}
    assert days["tuesday"]["readings"] == SLOT_MIN_READINGS and days["wednesday"]["readings"] == 0
    assert days["tuesday"]["shares"]["happy"] == 1.0
    assert days["friday"]["readings"] == 1 and days["friday"]["shares"] is None  # too few
    times = {row["time_of_day"]: row for row in insights["times_of_day"]}
    assert times["evening"]["readings"] == SLOT_MIN_READINGS and times["night"]["readings"] == 0
    assert times["morning"]["counts"]["sad"] == 1 and not times["morning"]["enough"]


def _tagged_days(user, *, with_tag: list[str], without: list[str], tag="exercise"):
    start = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)
    for i, mood in enumerate(with_tag):
        reading(user, start - dt.timedelta(days=i), mood, tags=[tag])
    for i, mood in enumerate(without):
        reading(user, start - dt.timedelta(days=len(with_tag) + i), mood)


def test_a_tag_is_compared_from_five_days_with_it_and_five_without(user):
    _tagged_days(user, with_tag=["happy"] * 4 + ["sad"], without=["sad"] * 4 + ["happy"])

    (item,) = history_insights(user=user, now=NOW)["tags"]

    assert item["tag"] == "exercise" and item["enough"] is True
    assert (item["with"]["days"], item["without"]["days"]) == (TAG_MIN_DAYS, TAG_MIN_DAYS)
    assert item["with"]["shares"]["happy"] == 0.8 and item["without"]["shares"]["happy"] == 0.2
    headline = item["headline"]
    assert (headline["mood"], headline["with_days"], headline["without_days"]) == ("happy", 4, 1)
    # 4 of 5 against 1 of 5: Fisher's exact test says p = 0.206, so this could be chance.
    assert headline["p_value"] == 0.2063 and headline["clear"] is False


def test_four_days_with_a_tag_are_not_enough_to_say_anything(user):
    _tagged_days(user, with_tag=["happy"] * (TAG_MIN_DAYS - 1), without=["sad"] * 20)

    (item,) = history_insights(user=user, now=NOW)["tags"]

    assert item["enough"] is False and item["headline"] is None
    assert item["with"]["shares"] is None and item["without"]["shares"] is None
    assert (item["with"]["days"], item["without"]["days"]) == (TAG_MIN_DAYS - 1, 20)


def test_a_clear_difference_is_called_clear(user):
    _tagged_days(user, with_tag=["happy"] * 10, without=["sad"] * 9 + ["happy"])

    headline = history_insights(user=user, now=NOW)["tags"][0]["headline"]

    assert headline["with_share"] == 1.0 and headline["without_share"] == 0.1
    assert headline["clear"] is True and headline["p_value"] < 0.001


def test_a_tagged_day_counts_by_its_summary_mood_once(user):
    day = dt.datetime(2026, 11, 25, 8, tzinfo=UTC)
    reading(user, day, "happy", tags=["work"])
    reading(user, day + dt.timedelta(hours=2), "sad", tags=["work"])  # a tie: a mixed day
    reading(user, day + dt.timedelta(hours=4), "sad")  # untagged, same day: sad wins 2 to 1

    (item,) = history_insights(user=user, now=NOW)["tags"]

    assert item["with"]["days"] == 1 and item["with"]["moods"]["sad"] == 1  # the day, not the readings
    assert item["without"]["days"] == 0


def test_the_period_is_chosen_and_checked(auth_client):
    reading(auth_client.user, dt.datetime.now(UTC) - dt.timedelta(days=40), "happy")

    data = assert_envelope(auth_client.get(f"{API}history/insights", {"days": "30"}), 200, "success")["data"]
    assert data["days"] == 30 and data["readings"] == 0
    data = assert_envelope(auth_client.get(f"{API}history/insights"), 200)["data"]
    assert data["days"] == 90 and data["readings"] == 1
    assert data["rules"] == {"week_min_readings": 3, "slot_min_readings": 5, "tag_min_days": 5,
                             "clear_difference_p": 0.05}
    body = assert_envelope(auth_client.get(f"{API}history/insights", {"days": "366"}), 400)
    assert "days" in body["errors"]


@pytest.mark.parametrize(("table", "p_value"), [
    ((1, 9, 11, 3), 0.002759),   # the textbook example (Fisher's tea-tasting style 2x2)
    ((3, 1, 1, 3), 0.485714),    # the lady tasting tea
    ((0, 5, 0, 5), 1.0),
])
def test_fishers_exact_test_gives_the_known_values(table, p_value):
    assert fisher_exact_two_sided(*table) == pytest.approx(p_value, abs=1e-6)
