"""Pages in the person's time zone: times shown in it, and the profile page to change it."""

import datetime as dt

import pytest

from tests.history.factories import HistoryEntryFactory

pytestmark = pytest.mark.django_db


def test_pages_show_times_in_the_persons_time_zone(signed_in):
    user = signed_in.user
    HistoryEntryFactory(user=user, created_at=dt.datetime(2026, 11, 3, 23, 30, tzinfo=dt.timezone.utc))
    assert "3 Nov 2026, 23:30" in signed_in.get("/history/").content.decode()

    user.time_zone = "Asia/Tokyo"
    user.save()
    assert "4 Nov 2026, 08:30" in signed_in.get("/history/").content.decode()


def test_the_profile_page_changes_the_time_zone(signed_in):
    response = signed_in.post("/profile/preferences/", {"time_zone": "Africa/Nairobi"})

    assert response.status_code == 302
    signed_in.user.refresh_from_db()
    assert signed_in.user.time_zone == "Africa/Nairobi"
    page = signed_in.get("/profile/").content.decode()
    assert "Your days follow <strong>Africa/Nairobi</strong>" in page
    assert 'value="Africa/Nairobi" selected' in page


def test_a_public_answer_never_reads_the_session_for_the_time_zone(signed_in):
    # The track artwork is public and cached for a year: shown to a signed-in person, it still
    # does not vary by their cookie (accounts.middleware.time_zone_exempt).
    from music.selectors import track_artwork_path
    from tests.music.factories import TrackFactory

    signed_in.user.time_zone = "Asia/Tokyo"
    signed_in.user.save()

    response = signed_in.get(track_artwork_path(track=TrackFactory()))

    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert "Cookie" in signed_in.get("/history/").get("Vary", "")  # pages do read it
