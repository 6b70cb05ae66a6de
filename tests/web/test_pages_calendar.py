"""The calendar pages (month and year in pixels) with the Django client: every day in words for
screen readers, links to the day's entries, honest summaries, the person's own days."""

import datetime as dt
import re

import pytest

from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db
UTC = dt.timezone.utc


def at(user, when, mood):
    return HistoryEntryFactory(user=user, mood=mood, created_at=dt.datetime.fromisoformat(when))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_month_page_says_each_day_in_words_and_links_days_with_readings(signed_in):
    user = signed_in.user
    at(user, "2026-11-03T08:00:00+00:00", "happy")
    at(user, "2026-11-03T12:00:00+00:00", "happy")
    at(user, "2026-11-03T18:00:00+00:00", "sad")
    at(user, "2026-11-04T08:00:00+00:00", "angry")
    at(user, "2026-11-04T09:00:00+00:00", "neutral")

    response = signed_in.get("/calendar/", {"month": "2026-11"})

    assert response.status_code == 200
    page = response.content.decode()
    words = text_of(page)
    assert "Your moods in November 2026" in words
    assert "Tue 3 November: mostly happy (3 readings: 2 happy, 1 sad)" in words
    assert "Wed 4 November: mixed (2 readings: 1 angry, 1 calm)" in words  # mood words: vexora.i18n.mood_word
    assert "Thu 5 November: no readings" in words
    assert 'href="/history/?day=2026-11-03"' in page and 'href="/history/?day=2026-11-05"' not in page
    assert "2/3" in page  # two of three readings were happy, shown beside the emoji
    assert '<caption class="visually-hidden">November 2026: your mood each day (UTC)</caption>' in page
    assert 'href="?month=2026-10"' in page and 'href="?month=2026-12"' in page


def test_a_day_link_lists_that_days_entries(signed_in):
    user = signed_in.user
    user.time_zone = "Asia/Tokyo"
    user.save()
    late = at(user, "2026-11-03T16:30:00+00:00", "sad")  # the 4th in Tokyo
    at(user, "2026-11-03T08:00:00+00:00", "happy")        # the 3rd

    response = signed_in.get("/history/", {"day": "2026-11-04"})

    assert [entry.uuid for entry in response.context["page"].object_list] == [late.uuid]
    assert "1 entry matches the filter on Wed 4 Nov." in text_of(response.content.decode())


def test_a_bad_month_is_explained_and_this_month_shown(signed_in):
    response = signed_in.get("/calendar/", {"month": "2026-13"})
    assert response.status_code == 400
    assert "Month must look like YYYY-MM." in response.content.decode()
    assert response.context["calendar"]["period"] == dt.datetime.now(UTC).strftime("%Y-%m")


def test_the_year_page_gives_a_picture_and_each_month_in_words(signed_in):
    user = signed_in.user
    at(user, "2025-01-10T08:00:00+00:00", "happy")
    at(user, "2025-01-11T08:00:00+00:00", "happy")
    at(user, "2025-03-02T08:00:00+00:00", "sad")
    at(user, "2025-03-02T09:00:00+00:00", "angry")

    response = signed_in.get("/calendar/year/", {"year": "2025"})

    page = response.content.decode()
    words = text_of(page)
    assert response.status_code == 200
    assert page.count('<span class="pixel') == 365
    assert 'role="img" aria-labelledby="pixels-title"' in page
    assert "2025, one square per day: 3 days with readings (2 mostly happy, 1 mixed)." in words
    assert "January: 2 days with readings: 2 mostly happy" in words
    assert "March: 1 day with readings: 1 mixed" in words
    assert "February: no readings" in words
    assert 'href="/calendar/?month=2025-03"' in page
    assert 'title="Sun 2 March: mixed (2 readings: 1 sad, 1 angry)"' in page


def test_a_bad_year_is_a_400_page(signed_in):
    response = signed_in.get("/calendar/year/", {"year": "twenty"})
    assert response.status_code == 400 and "Year must look like YYYY." in response.content.decode()


def test_someone_elses_readings_never_show(signed_in, other_user):
    at(other_user, "2026-11-03T08:00:00+00:00", "angry")
    assert "Tue 3 November: no readings" in text_of(signed_in.get("/calendar/", {"month": "2026-11"}).content.decode())
