"""Summaries of a person's history in their own local days (accounts.selectors.user_time_zone):
the calendar (a month, a year in pixels) and the insights. Reads only; plain functions,
keyword-only arguments, ``vexora.errors.InvalidInput`` for bad parameters.

Honesty rules (docs/api/history.md, "Calendar" and "Insights"):
- a day's mood is its most frequent reading; a tie is ``mixed`` (the tied moods are listed), never
  a guess; the counts always come along;
- an insight is only given when there is enough data for it (the ``*_MIN_*`` constants), and it
  describes what was seen (shares with their counts), never why.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable

from django.utils import timezone

from accounts.selectors import user_time_zone
from history.models import HistoryEntry, HistoryEntryTag
from history.selectors import MOOD_FIELDS, days_checked, entry_effective_mood, month_checked
from vexora.errors import InvalidInput
from vexora.moods import MOODS

MIXED = "mixed"
# Insights: the least data each kind needs (docs/api/history.md, "Insights", says why).
WEEK_MIN_READINGS = 3      # a week's shares are compared only when both weeks have this many
SLOT_MIN_READINGS = 5      # a weekday or a time of day gets shares from this many readings
TAG_MIN_DAYS = 5           # a tag is compared with at least this many days with it AND without it
CLEAR_DIFFERENCE_P = 0.05  # below this (Fisher's exact test), a difference is not called chance
INSIGHTS_DEFAULT_DAYS = 90
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Local hours [start, end) of each time of day.
TIMES_OF_DAY = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))
CALENDAR_ONE_OF = "give month=YYYY-MM or year=YYYY, not both"


# --- Readings -----------------------------------------------------------------------------------
def _readings(*, user, start: dt.date, end: dt.date, zone) -> list[tuple[dt.datetime, str, int]]:
    """(local time, effective mood, entry id) of the user's entries on local days [start, end]."""
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    entries = (HistoryEntry.objects.filter(user=user, created_at__gte=since, created_at__lt=until)
               .only("id", "created_at", *MOOD_FIELDS).order_by("created_at", "id"))
    return [(entry.created_at.astimezone(zone), entry_effective_mood(entry), entry.id) for entry in entries]


def day_summary(counts: Counter) -> dict:
    """One day from its readings per mood: ``mood`` is the most frequent one, ``mixed`` on a tie
    (``tied`` lists the tied moods), None without readings."""
    total = sum(counts.values())
    if not total:
        return {"total": 0, "counts": dict.fromkeys(MOODS, 0), "mood": None, "tied": []}
    top = max(counts.values())
    tied = [mood for mood in MOODS if counts.get(mood, 0) == top]
    return {"total": total, "counts": {mood: counts.get(mood, 0) for mood in MOODS},
            "mood": tied[0] if len(tied) == 1 else MIXED, "tied": tied if len(tied) > 1 else []}


def _per_day(readings: Iterable[tuple[dt.datetime, str, int]]) -> dict[dt.date, Counter]:
    days: dict[dt.date, Counter] = {}
    for when, mood, _ in readings:
        days.setdefault(when.date(), Counter())[mood] += 1
    return days


# --- Calendar -----------------------------------------------------------------------------------
def history_calendar(*, user, month: str | None = None, year=None, now: dt.datetime | None = None) -> dict:
    """The user's days of one month (``month=YYYY-MM``) or one year (``year=YYYY``); neither:
    the current month in their time zone. Every day of the period is listed, oldest first::

        {"view": "month", "period": "2026-11", "time_zone": "Europe/Paris", "today": "2026-11-24",
         "from": "2026-11-01", "to": "2026-11-30", "previous": "2026-10", "next": "2026-12",
         "total": 9, "counts": {"happy": 5, ...},
         "moods": {"happy": 3, "sad": 1, "angry": 0, "neutral": 1, "mixed": 1}, "days_with_readings": 6,
         "days": [{"date": "2026-11-01", "total": 2, "counts": {...}, "mood": "happy", "tied": []}, ...]}

    ``moods`` counts the days by their summary mood. InvalidInput for a malformed month or year,
    or both given."""
    zone = user_time_zone(user=user)
    today = (now or timezone.now()).astimezone(zone).date()
    if month not in (None, "") and year not in (None, ""):
        raise InvalidInput(CALENDAR_ONE_OF, errors={"month": [CALENDAR_ONE_OF], "year": [CALENDAR_ONE_OF]})
    if year not in (None, ""):
        number = year_checked(year)
        view, period = "year", f"{number:04d}"
        first, last = dt.date(number, 1, 1), dt.date(number, 12, 31)
        previous, following = f"{number - 1:04d}" if number > 1 else None, f"{number + 1:04d}" if number < 9998 else None
    else:
        number_year, number_month = month_checked(month) if month not in (None, "") else (today.year, today.month)
        view, period = "month", f"{number_year:04d}-{number_month:02d}"
        first = dt.date(number_year, number_month, 1)
        last = dt.date(number_year, number_month, _calendar.monthrange(number_year, number_month)[1])
        before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
        previous = f"{before:%Y-%m}" if before.year >= 1 else None
        following = f"{after:%Y-%m}" if after.year <= 9998 else None
    per_day = _per_day(_readings(user=user, start=first, end=last, zone=zone))
    days, counts, moods = [], dict.fromkeys(MOODS, 0), dict.fromkeys((*MOODS, MIXED), 0)
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        summary = day_summary(per_day.get(date, Counter()))
        for mood in MOODS:
            counts[mood] += summary["counts"][mood]
        if summary["mood"]:
            moods[summary["mood"]] += 1
        days.append({"date": date.isoformat(), **summary})
    return {"view": view, "period": period, "time_zone": zone.key, "today": today.isoformat(),
            "from": first.isoformat(), "to": last.isoformat(), "previous": previous, "next": following,
            "total": sum(counts.values()), "counts": counts, "moods": moods,
            "days_with_readings": sum(1 for day in days if day["total"]), "days": days}


def year_checked(year) -> int:
    text = year.strip() if isinstance(year, str) else str(year) if isinstance(year, int) and not isinstance(year, bool) else ""
    if not (len(text) == 4 and text.isdigit() and text.isascii()) or not 1 <= int(text) <= 9998:
        raise InvalidInput("year must look like YYYY", errors={"year": ["use the format YYYY, e.g. 2026"]})
    return int(text)


# --- Insights -----------------------------------------------------------------------------------
def _shares(counts: dict[str, int], total: int) -> dict[str, float] | None:
    return {mood: round(counts.get(mood, 0) / total, 4) for mood in MOODS} if total else None


def _group(readings: list[tuple[dt.datetime, str, int]], *, minimum: int) -> dict:
    counts = Counter(mood for _, mood, _ in readings)
    total = len(readings)
    enough = total >= minimum
    return {"readings": total, "days": len({when.date() for when, _, _ in readings}),
            "counts": {mood: counts.get(mood, 0) for mood in MOODS},
            "shares": _shares(counts, total) if enough else None, "enough": enough}


def history_insights(*, user, days=INSIGHTS_DEFAULT_DAYS, now: dt.datetime | None = None) -> dict:
    """What the user's readings say, in their local days, only where there is enough data:

    - ``weeks``: this week so far (Monday to today) and last week (Monday to Sunday): readings,
      days with readings, counts and shares per mood; ``comparable`` when both weeks have at least
      WEEK_MIN_READINGS readings (shares are given for a week with that many);
    - over the last ``days`` days (1..365, default 90): ``weekdays`` and ``times_of_day``
      (readings, counts, and shares from SLOT_MIN_READINGS readings on); ``tags``: for each tag
      used in the period, the days with it against the days without it (days with readings, by
      each day's mood as the calendar sums it up), compared only from TAG_MIN_DAYS days on each
      side (``enough``), with the mood whose share differs most as ``headline`` and Fisher's exact
      test's two-sided p-value (``clear`` below CLEAR_DIFFERENCE_P).
    """
    days = days_checked(days)
    zone = user_time_zone(user=user)
    today = (now or timezone.now()).astimezone(zone).date()
    first = today - dt.timedelta(days=days - 1)
    this_monday = today - dt.timedelta(days=today.weekday())
    last_monday = this_monday - dt.timedelta(days=7)
    readings = _readings(user=user, start=min(first, last_monday), end=today, zone=zone)
    window = [r for r in readings if r[0].date() >= first]

    this_week = [r for r in readings if r[0].date() >= this_monday]
    last_week = [r for r in readings if last_monday <= r[0].date() < this_monday]
    weeks = {
        "this": {"from": this_monday.isoformat(), "to": today.isoformat(), **_group(this_week, minimum=WEEK_MIN_READINGS)},
        "last": {"from": last_monday.isoformat(), "to": (this_monday - dt.timedelta(days=1)).isoformat(),
                 **_group(last_week, minimum=WEEK_MIN_READINGS)},
    }
    weeks["comparable"] = weeks["this"]["enough"] and weeks["last"]["enough"]

    weekdays = [{"weekday": name, **_group([r for r in window if r[0].weekday() == i], minimum=SLOT_MIN_READINGS)}
                for i, name in enumerate(WEEKDAYS)]
    times = [{"time_of_day": name, "from_hour": start, "to_hour": end,
              **_group([r for r in window if start <= r[0].hour < end], minimum=SLOT_MIN_READINGS)}
             for name, start, end in TIMES_OF_DAY]
    return {"time_zone": zone.key, "days": days, "from": first.isoformat(), "to": today.isoformat(),
            "readings": len(window), "days_with_readings": len({r[0].date() for r in window}),
            "rules": {"week_min_readings": WEEK_MIN_READINGS, "slot_min_readings": SLOT_MIN_READINGS,
                      "tag_min_days": TAG_MIN_DAYS, "clear_difference_p": CLEAR_DIFFERENCE_P},
            "weeks": weeks, "weekdays": weekdays, "times_of_day": times, "tags": _tag_insights(window)}


def _tag_insights(window: list[tuple[dt.datetime, str, int]]) -> list[dict]:
    per_day = _per_day(window)
    day_moods = {date: day_summary(counts)["mood"] for date, counts in per_day.items()}
    day_of_entry = {entry_id: when.date() for when, _, entry_id in window}
    tag_days: dict[str, set[dt.date]] = {}
    links = (HistoryEntryTag.objects.filter(entry_id__in=list(day_of_entry)).values_list("entry_id", "tag__name")
             .order_by())
    for entry_id, name in links:
        tag_days.setdefault(name, set()).add(day_of_entry[entry_id])
    insights = []
    for name, with_days in tag_days.items():
        without_days = set(day_moods) - with_days
        enough = len(with_days) >= TAG_MIN_DAYS and len(without_days) >= TAG_MIN_DAYS
        groups = {key: _day_group([day_moods[d] for d in chosen], shares=enough)
                  for key, chosen in (("with", with_days), ("without", without_days))}
        insights.append({"tag": name, "enough": enough, **groups,
                         "headline": _headline(groups["with"], groups["without"]) if enough else None})
    insights.sort(key=lambda item: (-item["with"]["days"], item["tag"].lower()))
    return insights


def _day_group(moods: list[str], *, shares: bool) -> dict:
    counts = Counter(moods)
    total = len(moods)
    return {"days": total, "moods": {mood: counts.get(mood, 0) for mood in (*MOODS, MIXED)},
            "shares": _shares(counts, total) if shares else None}


def _headline(with_tag: dict, without_tag: dict) -> dict:
    """The mood whose share of days differs most between the two groups (the first in MOODS
    order on a tie), with Fisher's exact test of that 2x2 table."""
    def gap(mood):
        return abs(with_tag["shares"][mood] - without_tag["shares"][mood])

    mood = max(MOODS, key=lambda m: (gap(m), -MOODS.index(m)))
    a, b = with_tag["moods"][mood], without_tag["moods"][mood]
    p_value = fisher_exact_two_sided(a, with_tag["days"] - a, b, without_tag["days"] - b)
    return {"mood": mood, "with_days": a, "with_share": with_tag["shares"][mood], "without_days": b,
            "without_share": without_tag["shares"][mood], "p_value": round(p_value, 4),
            "clear": p_value < CLEAR_DIFFERENCE_P}


def fisher_exact_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Fisher's exact test of the table [[a, b], [c, d]]: the probability, with the margins fixed,
    of a table at most as likely as this one (two-sided)."""
    row, column, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0

    def probability(x: int) -> float:
        return math.comb(column, x) * math.comb(n - column, row - x) / math.comb(n, row)

    observed = probability(a)
    low, high = max(0, row - (n - column)), min(row, column)
    return min(1.0, sum(p for p in map(probability, range(low, high + 1)) if p <= observed * (1 + 1e-9)))
