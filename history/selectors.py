"""Reads of a person's mood history. Plain functions, keyword-only arguments, raising
``vexora.errors`` domain errors. Every function is scoped to one user: another user's entry is
``NotFound``, never a hint that it exists."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db.models import Count, F, Func, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from history.models import HistoryEntry, HistoryTrack
from vexora.errors import InvalidInput, NotFound, mood_checked
from vexora.moods import MOODS

ENTRY_NOT_FOUND = "history entry not found"
# The tracks of the user's last 3 entries are not offered again (moods.services.mood_detect,
# history.services.history_recommend_again).
RECENT_ENTRIES_NOT_REPEATED = 3
STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 365
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DAYS_RE = re.compile(r"^[0-9]{1,4}$")


def history_list(*, user, mood: str | None = None, month: str | None = None) -> QuerySet[HistoryEntry]:
    """The user's entries, newest first, with ``track_count`` annotated.

    ``mood``: one of happy, sad, angry, neutral (case-insensitive). ``month``: ``YYYY-MM``, the
    entries made that month in ``settings.TIME_ZONE``. Empty values mean no filter; anything else
    is ``InvalidInput`` with ``errors`` naming the parameter.
    """
    entries = HistoryEntry.objects.filter(user=user)
    if mood not in (None, ""):
        entries = entries.filter(mood=mood_checked(mood))
    if month not in (None, ""):
        start, end = _month_bounds(month)
        entries = entries.filter(created_at__gte=start, created_at__lt=end)
    return entries.select_related("user").annotate(track_count=_track_count()).order_by("-created_at", "-id")


def _track_count():
    """The number of tracks of each entry, counted for the rows fetched only (a correlated
    subquery on history_track's (entry, position) index): a page costs the same whatever the size
    of the history, and a COUNT of the list leaves it out."""
    tracks = HistoryTrack.objects.filter(entry=OuterRef("pk")).order_by().annotate(n=Func(F("pk"), function="COUNT"))
    return Subquery(tracks.values("n"), output_field=IntegerField())


def history_get(*, user, entry_uuid) -> HistoryEntry:
    """One of the user's entries with its tracks (``items`` in order, each with its ``track``)."""
    key = _uuid_or_not_found(entry_uuid)
    items = HistoryTrack.objects.select_related("track").order_by("position")
    entry = (
        HistoryEntry.objects.filter(user=user, uuid=key).select_related("user")
        .annotate(track_count=Count("items")).prefetch_related(Prefetch("items", queryset=items)).first()
    )
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    return entry


def history_most_mood(*, user) -> str | None:
    """The user's most frequent mood; on a tie, the tied mood seen most recently. None when the
    user has no history."""
    top = (
        HistoryEntry.objects.filter(user=user).order_by().values("mood")
        .annotate(count=Count("id"), last_at=Max("created_at"), last_id=Max("id"))
        .order_by("-count", "-last_at", "-last_id").first()
    )
    return top["mood"] if top else None


def history_recent_track_ids(*, user, entries: int = RECENT_ENTRIES_NOT_REPEATED) -> list[str]:
    """Ids of the tracks recommended with the user's last ``entries`` entries (newest first, no
    repeats): what the recommender should not offer again right away."""
    if entries <= 0:
        return []
    recent = list(HistoryEntry.objects.filter(user=user).order_by("-created_at", "-id").values_list("id", flat=True)
                  [:entries])
    rows = (HistoryTrack.objects.filter(entry_id__in=recent).order_by("-entry__created_at", "-entry_id", "position")
            .values_list("track_id", flat=True))
    return list(dict.fromkeys(rows))


def history_stats(*, user, days=STATS_DEFAULT_DAYS, today: dt.date | None = None) -> dict:
    """Counts per mood over the last ``days`` days (today included, dates in settings.TIME_ZONE)
    and one point per day, zeros included, oldest first, for charts::

        {"days": 30, "from": "2026-10-26", "to": "2026-11-24", "total": 7,
         "counts": {"happy": 4, "sad": 1, "angry": 0, "neutral": 2},
         "series": [{"date": "2026-10-26", "happy": 0, "sad": 0, "angry": 0, "neutral": 0, "total": 0}, ...]}

    ``days`` must be an integer in 1..365 (a numeric string is accepted), else ``InvalidInput``.
    """
    days = _clean_days(days)
    zone = timezone.get_default_timezone()
    today = today or timezone.localdate(timezone=zone)
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = (
        HistoryEntry.objects.filter(user=user, created_at__gte=start, created_at__lt=end).order_by()
        .annotate(day=TruncDate("created_at", tzinfo=zone)).values("day", "mood").annotate(count=Count("id"))
    )
    per_day: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        per_day.setdefault(row["day"], {})[row["mood"]] = row["count"]
    series, counts = [], dict.fromkeys(MOODS, 0)
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        found = per_day.get(day, {})
        point = {"date": day.isoformat(), **{mood: found.get(mood, 0) for mood in MOODS}}
        point["total"] = sum(point[mood] for mood in MOODS)
        for mood in MOODS:
            counts[mood] += point[mood]
        series.append(point)
    return {"days": days, "from": first.isoformat(), "to": today.isoformat(), "total": sum(counts.values()),
            "counts": counts, "series": series}


# --- Input checks ------------------------------------------------------------------------------
def _month_bounds(month) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` -> [first instant of the month, first instant of the next) in TIME_ZONE."""
    match = _MONTH_RE.match(month.strip()) if isinstance(month, str) else None
    year, number = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not match or not 1 <= number <= 12 or not 1 <= year <= 9998:
        raise InvalidInput("month must look like YYYY-MM", errors={"month": ["use the format YYYY-MM, e.g. 2026-11"]})
    zone = timezone.get_default_timezone()
    start = dt.datetime(year, number, 1, tzinfo=zone)
    end = dt.datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return start, end


def _clean_days(days) -> int:
    error = InvalidInput(f"days must be a whole number from 1 to {STATS_MAX_DAYS}",
                         errors={"days": [f"a whole number from 1 to {STATS_MAX_DAYS}"]})
    if isinstance(days, bool):
        raise error
    if isinstance(days, str):
        if not _DAYS_RE.match(days.strip()):
            raise error
        days = int(days.strip())
    if not isinstance(days, int) or not 1 <= days <= STATS_MAX_DAYS:
        raise error
    return days


def _uuid_or_not_found(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(ENTRY_NOT_FOUND) from None
