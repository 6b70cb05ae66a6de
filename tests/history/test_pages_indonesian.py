"""The history pages in Bahasa Indonesia: a browser asking for Indonesian gets the home, the list,
a result, the calendar (month and year) and the insights in Indonesian, dates with Indonesian
month and day names and 24-hour "14.30" times, the insight sentence about a tag in Indonesian
(mood word and default tag name translated); English stays the default."""

import datetime as dt
import re

import pytest
from django.test import Client

from history.services import history_entry_update
from tests.factories import UserFactory
from tests.history.factories import HistoryEntryFactory, entry_with_tracks

pytestmark = pytest.mark.django_db

INDONESIAN = {"HTTP_ACCEPT_LANGUAGE": "id"}
# 1 December 2026, 14:30 in the person's zone (UTC): "1 Des 2026, 14.30" in Indonesian.
MOMENT = dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.timezone.utc)


@pytest.fixture
def person():
    user = UserFactory(time_zone="UTC")
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def words(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_home_page_is_indonesian_with_a_localized_date(person):
    HistoryEntryFactory(user=person.user, mood="sad", created_at=MOMENT)
    text = words(person.get("/home/", **INDONESIAN))
    assert '<html lang="id"' in person.get("/home/", **INDONESIAN).content.decode()
    assert "Suasana hati tersering" in text
    assert "Pindaian terakhirmu" in text
    assert "1 Des 2026, 14.30" in text
    assert "Your latest scan" not in text and "Your most frequent mood" not in text


def test_the_history_list_is_indonesian(person):
    entry = HistoryEntryFactory(user=person.user, mood="happy", created_at=MOMENT)
    history_entry_update(entry=entry, tags=["sleep", "rainy day"])
    text = words(person.get("/history/", **INDONESIAN))
    assert "Riwayat suasana hatimu" in text
    assert "1 entri" in text
    assert "1 Des 2026, 14.30" in text
    assert "tidur" in text  # a default tag, translated
    assert "rainy day" in text  # a person's own tag, as typed
    assert "Semua suasana hati" in text and "Desember 2026" in text  # the filter's choices
    assert "Your mood history" not in text and "Open result" not in text


def test_a_result_is_indonesian(person):
    entry = entry_with_tracks(user=person.user, mood="neutral", confidence=0.9, created_at=MOMENT, tracks=2)
    text = words(person.get(f"/result/{entry.uuid}/", **INDONESIAN))
    assert "Kamu terlihat Netral (tenang)" in text
    assert "Kami 90% yakin" in text
    assert "1 Des 2026, 14.30" in text
    assert "Skor setiap suasana hati" in text
    assert "How each mood scored" not in text and "You look" not in text


def test_the_month_calendar_is_indonesian(person):
    HistoryEntryFactory(user=person.user, mood="happy", created_at=MOMENT)
    HistoryEntryFactory(user=person.user, mood="neutral", created_at=MOMENT + dt.timedelta(hours=1))
    page = person.get("/calendar/", {"month": "2026-12"}, **INDONESIAN)
    text = words(page)
    assert "Suasana hatimu di Desember 2026" in text
    assert '<abbr title="Senin">Sen</abbr>' in page.content.decode()  # weekday headers
    assert "Sel 1 Desember: campur (2 pembacaan: 1 senang, 1 tenang)" in text
    assert "Campur (seri)" in text
    assert "Day by day" not in text and "mixed (" not in text


def test_the_year_in_pixels_is_indonesian(person):
    HistoryEntryFactory(user=person.user, mood="sad", created_at=MOMENT)
    text = words(person.get("/calendar/year/", {"year": "2026"}, **INDONESIAN))
    assert "2026-mu dalam piksel" in text
    assert "Bulan demi bulan" in text
    assert "Desember : 1 hari dengan pembacaan: 1 umumnya sedih" in text
    assert "Month by month" not in text and "day with readings" not in text


def test_the_insights_are_indonesian_with_the_tag_sentence(person):
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(5):
        entry = HistoryEntryFactory(user=person.user, mood="happy", created_at=now - dt.timedelta(days=i))
        history_entry_update(entry=entry, tags=["exercise"])
    for i in range(5, 10):
        HistoryEntryFactory(user=person.user, mood="sad", created_at=now - dt.timedelta(days=i))

    text = words(person.get("/insights/", **INDONESIAN))

    assert "Wawasan" in text and "Minggu ini dan minggu lalu" in text
    assert ("Dari 5 hari dengan tag “olahraga”, 5 (100%) umumnya senang; dari 5 hari lain dengan pembacaan: "
            "0 (0%).") in text
    assert "uji eksak Fisher, p = 0,008" in text  # a decimal comma
    assert "Senin" in text and "Dini hari (pukul 0–6)" in text
    assert "were mostly" not in text and "How these are worked out" not in text


def test_english_stays_the_default(person):
    HistoryEntryFactory(user=person.user, mood="sad", created_at=MOMENT)
    text = words(person.get("/history/"))
    assert "Your mood history" in text and "1 Dec 2026, 14:30" in text
    assert "Riwayat" not in text
