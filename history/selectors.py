"""Reads of a person's mood history. Plain functions, keyword-only arguments, raising
``vexora.errors`` domain errors. Every function is scoped to one user: another user's entry is
``NotFound``, never a hint that it exists."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db.models import Count, Max, Prefetch, QuerySet
from django.db.models.functions import Lower, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.selectors import user_time_zone
from history.models import DEFAULT_TAGS, HistoryEntry, HistoryTrack, Tag, effective_mood_expression
from music.models import Track
from vexora.errors import InvalidInput, NotFound, mood_checked
from vexora.moods import MOODS

ENTRY_NOT_FOUND = gettext_lazy("history entry not found")
# The tracks of the user's last 3 entries are not offered again (moods.services.mood_detect,
# history.services.history_recommend_again).
RECENT_ENTRIES_NOT_REPEATED = 3
STATS_DEFAULT_DAYS = 30
STATS_MAX_DAYS = 365
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_DAYS_RE = re.compile(r"^[0-9]{1,4}$")
# The fields an entry's effective mood is read from (the model's reading, the person's
# correction): what a query loading only some columns must load for entry_effective_mood.
MOOD_FIELDS: tuple[str, ...] = ("mood", "corrected_mood")


def entry_effective_mood(entry) -> str:
    """The mood that counts for an entry everywhere (lists, stats, most-mood, calendar, insights,
    export): HistoryEntry.effective_mood, the person's correction when there is one, else the
    model's reading. In SQL: history.models.effective_mood_expression."""
    return entry.effective_mood



def entry_tags_prefetch() -> Prefetch:
    return Prefetch("tags", queryset=Tag.objects.order_by(Lower("name"), "id"))


def history_list(*, user, mood: str | None = None, month: str | None = None, day: str | None = None,
                 tag: str | None = None) -> QuerySet[HistoryEntry]:
    """The user's entries, newest first, with their tags prefetched.

    ``mood``: one of happy, sad, angry, neutral (case-insensitive), matched against the entry's
    effective mood (the person's correction, else the model's reading). ``month``: ``YYYY-MM``,
    ``day``: ``YYYY-MM-DD``, in the user's time zone. ``tag``: a tag name (any case). Empty values
    mean no filter; anything else is ``InvalidInput`` with ``errors`` naming the parameter.
    """
    entries = HistoryEntry.objects.filter(user=user)
    zone = user_time_zone(user=user)
    if mood not in (None, ""):
        entries = entries.alias(effective=effective_mood_expression()).filter(effective=mood_checked(mood))
    if month not in (None, ""):
        start, end = _month_bounds(month, zone=zone)
        entries = entries.filter(created_at__gte=start, created_at__lt=end)
    if day not in (None, ""):
        start, end = _day_bounds(day, zone=zone)
        entries = entries.filter(created_at__gte=start, created_at__lt=end)
    if tag not in (None, ""):
        entries = entries.filter(tags__name__iexact=str(tag).strip())
    return entries.select_related("user").prefetch_related(entry_tags_prefetch()).order_by("-created_at", "-id")


def history_tags(*, user) -> list[dict]:
    """The tags the user can pick: the default ones (in DEFAULT_TAGS order, in the user's spelling
    when they use one), then their own, by name; each ``{"name", "default", "entries"}``
    (entries: how many of their entries carry it)."""
    own = {tag.name.lower(): tag for tag in
           Tag.objects.filter(user=user).annotate(entry_count=Count("entry_links")).order_by(Lower("name"))}
    tags = [{"name": own[name].name if name in own else name, "default": True,
             "entries": own[name].entry_count if name in own else 0} for name in DEFAULT_TAGS]
    tags += [{"name": tag.name, "default": False, "entries": tag.entry_count}
             for key, tag in own.items() if key not in DEFAULT_TAGS]
    return tags


def history_get(*, user, entry_uuid) -> HistoryEntry:
    """One of the user's entries with its tracks (``items`` in order, each with its ``track``)."""
    key = _uuid_or_not_found(entry_uuid)
    items = HistoryTrack.objects.select_related("track").order_by("position")
    entry = (
        HistoryEntry.objects.filter(user=user, uuid=key).select_related("user")
        .prefetch_related(Prefetch("items", queryset=items), entry_tags_prefetch())
        .first()
    )
    if entry is None:
        raise NotFound(ENTRY_NOT_FOUND)
    return entry


def history_most_mood(*, user) -> str | None:
    """The user's most frequent (effective) mood; on a tie, the tied mood seen most recently.
    None when the user has no history."""
    top = (
        HistoryEntry.objects.filter(user=user).order_by().annotate(effective=effective_mood_expression())
        .values("effective").annotate(count=Count("id"), last_at=Max("created_at"), last_id=Max("id"))
        .order_by("-count", "-last_at", "-last_id").first()
    )
    return top["effective"] if top else None


def history_months(*, user) -> list[str]:
    """The months (``YYYY-MM`` in the user's time zone, newest first) in which the user has entries:
    what a month filter can offer."""
    zone = user_time_zone(user=user)
    months = (HistoryEntry.objects.filter(user=user).order_by()
              .annotate(month=TruncMonth("created_at", tzinfo=zone)).values_list("month", flat=True).distinct())
    return sorted({f"{month:%Y-%m}" for month in months}, reverse=True)


def history_corrections() -> dict:
    """How people answered the model across all entries (a confusion matrix from real use)::

        {"moods": ["happy", ...], "total": 12, "answered": 5, "corrected": 2,
         "rows": [{"mood": "happy", "total": 7, "unanswered": 4, "corrected": 1,
                   "answers": {"happy": 2, "sad": 1, "angry": 0, "neutral": 0}}, ...]}

    A row is the mood the model read; ``answers`` counts what people said they felt (equal to the
    row's mood: they confirmed it); ``unanswered`` entries got no answer.
    """
    counts = {(row["mood"], row["corrected_mood"]): row["count"] for row in
              HistoryEntry.objects.order_by().values("mood", "corrected_mood").annotate(count=Count("id"))}
    rows = []
    for mood in MOODS:
        answers = {felt: counts.get((mood, felt), 0) for felt in MOODS}
        unanswered = counts.get((mood, None), 0)
        rows.append({"mood": mood, "answers": answers, "unanswered": unanswered,
                     "total": unanswered + sum(answers.values()),
                     "corrected": sum(n for felt, n in answers.items() if felt != mood)})
    return {"moods": list(MOODS), "rows": rows, "total": sum(r["total"] for r in rows),
            "answered": sum(r["total"] - r["unanswered"] for r in rows),
            "corrected": sum(r["corrected"] for r in rows)}


def history_tracks_by_ids(*, track_ids) -> list[Track]:
    """The tracks of ``track_ids`` in that order (an earlier list of an entry, kept by the page);
    ids no longer in the database are left out."""
    by_id = Track.objects.in_bulk(list(track_ids))
    return [by_id[track_id] for track_id in track_ids if track_id in by_id]


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
    """Counts per (effective) mood over the last ``days`` days (today included, dates in the user's time zone)
    and one point per day, zeros included, oldest first, for charts::

        {"days": 30, "from": "2026-10-26", "to": "2026-11-24", "total": 7,
         "counts": {"happy": 4, "sad": 1, "angry": 0, "neutral": 2},
         "series": [{"date": "2026-10-26", "happy": 0, "sad": 0, "angry": 0, "neutral": 0, "total": 0}, ...]}

    ``days`` must be an integer in 1..365 (a numeric string is accepted), else ``InvalidInput``.
    """
    days = days_checked(days)
    zone = user_time_zone(user=user)
    today = today or timezone.localdate(timezone=zone)
    first = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = (
        HistoryEntry.objects.filter(user=user, created_at__gte=start, created_at__lt=end).order_by()
        .annotate(day=TruncDate("created_at", tzinfo=zone), effective=effective_mood_expression())
        .values("day", "effective").annotate(count=Count("id"))
    )
    per_day: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        per_day.setdefault(row["day"], {})[row["effective"]] = row["count"]
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
def month_checked(month) -> tuple[int, int]:
    """``YYYY-MM`` -> (year, month), else InvalidInput naming ``month``."""
    match = _MONTH_RE.match(month.strip()) if isinstance(month, str) else None
    year, number = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not match or not 1 <= number <= 12 or not 1 <= year <= 9998:
        raise InvalidInput("month must look like YYYY-MM", errors={"month": ["use the format YYYY-MM, e.g. 2026-11"]})
    return year, number


def _month_bounds(month, *, zone) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` -> [first instant of the month, first instant of the next) in ``zone``."""
    year, number = month_checked(month)
    start = dt.datetime(year, number, 1, tzinfo=zone)
    end = dt.datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone)
    return start, end


def day_checked(day) -> dt.date:
    """``YYYY-MM-DD`` -> the date, else InvalidInput naming ``day``."""
    match = _DATE_RE.match(day.strip()) if isinstance(day, str) else None
    try:
        date = dt.date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        date = None
    if date is None or date.year > 9998:
        raise InvalidInput("day must look like YYYY-MM-DD", errors={"day": ["use the format YYYY-MM-DD, e.g. 2026-11-24"]})
    return date


def _day_bounds(day, *, zone) -> tuple[dt.datetime, dt.datetime]:
    date = day_checked(day)
    start = dt.datetime.combine(date, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(date + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def days_checked(days) -> int:
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
