"""Presentation helpers for the pages: mood emoji and labels, percentages, the mood chart (a
server-rendered SVG of history.selectors.history_stats), form fields, the calendar and the
insights' sentences. Every text is in the active language (vexora.i18n): sentences through
gettext/ngettext with named placeholders, mood words through ``mood_word``, dates through Django's
localized formats (month and day names translated: "Sel 1 Des")."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vexora import i18n
from vexora.moods import MOOD_EMOJI, MOODS

register = template.Library()

# Dates as the pages show them; Django translates the month and day names ("Des", "Sel").
DAY_FORMAT = "D j M"        # Tue 3 Nov
LONG_DAY_FORMAT = "D j F"   # Tue 3 November
SHORT_DAY_FORMAT = "j M"    # 3 Nov

@register.filter
def mood_emoji(mood) -> str:
    return MOOD_EMOJI.get(str(mood), "🙂")


@register.filter
def mood_label(mood) -> str:
    return i18n.mood_label(mood)


@register.filter
def mood_word(mood) -> str:
    """The mood inside a sentence ("happy", "calm") in the active language."""
    return i18n.mood_word(mood)


def clock_format() -> str:
    """English pages keep the 24-hour "14:30"; other languages their own (Indonesian "14.30")."""
    return "H:i" if translation.get_language() in (None, "en") else "TIME_FORMAT"


@register.filter
def when(value) -> str:
    """A moment in the person's time zone and language: "1 Dec 2026, 14:30" / "1 Des 2026, 14.30"."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return _("%(date)s, %(time)s") % {"date": formats.date_format(value, "j M Y"),
                                          "time": formats.time_format(value, clock_format())}
    return formats.date_format(value, "j M Y")


@register.filter
def percent(value) -> str:
    """0.8734 -> "87%" (values in 0..1)."""
    try:
        return f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def bar_width(value) -> str:
    """0.8734 -> "87.3" (a CSS width in %, clamped to 0..100)."""
    try:
        return f"{min(max(float(value) * 100, 0.0), 100.0):.1f}"
    except (TypeError, ValueError):
        return "0"


@register.simple_tag
def probabilities_in_order(probabilities) -> list[tuple[str, float]]:
    """[(mood, probability)] in the app's mood order."""
    probabilities = probabilities or {}
    return [(mood, float(probabilities.get(mood, 0.0))) for mood in MOODS]


@register.inclusion_tag("includes/messages.html", takes_context=True)
def messages_at(context, place: str = ""):
    """The flash messages shown at ``place``: "" (the top of the page) shows every message without a
    place of its own; a view gives one with ``extra_tags="at-<place>"`` to show it beside what it is
    about (e.g. "Song added" next to the search results the page opens at)."""
    def place_of(message) -> str:
        return next((tag[3:] for tag in (message.extra_tags or "").split() if tag.startswith("at-")), "")

    return {"shown": [message for message in context.get("messages") or () if place_of(message) == place],
            "place": place}


@register.inclusion_tag("includes/field.html")
def field(bound_field, css_class: str = ""):
    return {"field": bound_field, "css_class": css_class}


# --- The mood chart ---------------------------------------------------------------------------
SLOT = 10          # SVG units per day (the plot is days * SLOT wide, 100 high, stretched by CSS)
BAR = 6.4          # bar width in those units
TICK_EVERY = 7     # days between date labels, counted back from the last day


@register.inclusion_tag("includes/mood_chart.html")
def mood_chart(stats: dict):
    """Stacked bars, one per day, one colour per mood, from ``history_stats`` output.

    The bars are an SVG stretched to the width of the page (no text inside it, so nothing is
    distorted); the axis labels are HTML placed in percentages, so they stay readable from a
    360 px phone to a wide screen."""
    series = stats.get("series", [])
    days = len(series) or 1
    peak = max([point["total"] for point in series] + [1])
    bars = []
    for i, point in enumerate(series):
        x = i * SLOT + (SLOT - BAR) / 2
        top = 100.0
        segments = []
        for mood in MOODS:
            count = point.get(mood, 0)
            if not count:
                continue
            height = 100.0 * count / peak
            top -= height
            segments.append({"mood": mood, "x": f"{x:.2f}", "y": f"{top:.2f}", "w": f"{BAR:.2f}", "h": f"{height:.2f}"})
        day = dt.date.fromisoformat(point["date"])
        counts = _counts_text(point)
        label = _("%(day)s: %(counts)s") % {"day": formats.date_format(day, DAY_FORMAT),
                                            "counts": counts or _("no scans")}
        bars.append({"segments": segments, "label": label, "hit_x": i * SLOT})
    ticks = []
    for i, point in enumerate(series):
        if (days - 1 - i) % TICK_EVERY == 0:
            day = dt.date.fromisoformat(point["date"])
            edge = "end" if i == days - 1 else ("start" if i == 0 else "")
            minor = ((days - 1 - i) // TICK_EVERY) % 2 == 1  # hidden on narrow screens
            ticks.append({"left": f"{100.0 * (i + 0.5) / days:.2f}", "text": formats.date_format(day, SHORT_DAY_FORMAT),
                          "classes": " ".join(c for c in (edge, "minor" if minor else "") if c)})
    levels = sorted({0, peak} | ({peak // 2} if peak >= 4 else set()))
    gridlines = [{"y": f"{100.0 - 100.0 * value / peak:.2f}", "bottom": f"{100.0 * value / peak:.2f}",
                  "label": value} for value in levels]
    counts = stats.get("counts", {})
    legend = [{"mood": m, "count": counts.get(m, 0)} for m in MOODS]
    summary = _list([_count_mood(item["count"], item["mood"]) for item in legend])
    return {
        "plot_width": days * SLOT, "bars": bars, "slot": SLOT, "ticks": ticks, "gridlines": gridlines,
        "legend": legend, "total": stats.get("total", 0), "days": stats.get("days", days), "summary": summary,
        "first": date_text(stats.get("from")) if stats.get("from") else "",
        "last": date_text(stats.get("to")) if stats.get("to") else "",
    }


# --- The calendar -----------------------------------------------------------------------------
MIXED = "mixed"  # history.summaries.MIXED (templates may not import history)


def _list(parts) -> str:
    return _(", ").join(str(part) for part in parts)


def _count_mood(count: int, mood: str) -> str:
    """"2 happy" / "2 senang"."""
    return _("%(count)s %(mood)s") % {"count": count, "mood": i18n.mood_word(mood)}


def _counts_text(counts: dict) -> str:
    return _list(_count_mood(counts[m], m) for m in MOODS if counts.get(m))


@register.filter("readings")
def _readings(count: int) -> str:
    """"1 reading", "3 readings" / "3 catatan"."""
    return ngettext("%(count)s reading", "%(count)s readings", int(count or 0)) % {"count": count}


@register.filter
def day_text(day: dict) -> str:
    """A calendar day (history.summaries) in words, counts included: "Tue 3 November: mostly happy
    (3 readings: 2 happy, 1 sad)", "... mixed (2 readings: 1 happy, 1 sad)", "...: no readings"."""
    date = dt.date.fromisoformat(day["date"])
    values = {"day": formats.date_format(date, LONG_DAY_FORMAT)}
    total = day.get("total", 0)
    if not total:
        return _("%(day)s: no readings") % values
    values["readings"] = _readings(total)
    mood = day["mood"]
    if mood == MIXED:
        return _("%(day)s: mixed (%(readings)s: %(counts)s)") % {**values, "counts": _counts_text(day["counts"])}
    values["mood"] = i18n.mood_word(mood)
    if day["counts"][mood] == total:
        return _("%(day)s: %(mood)s (%(readings)s)") % values
    return _("%(day)s: mostly %(mood)s (%(readings)s: %(counts)s)") % {**values, "counts": _counts_text(day["counts"])}


def _cell_style(day: dict, *, soft: bool = False) -> str:
    """A mixed day shows its tied moods' colours side by side (the stylesheet's mood colours)."""
    if day.get("mood") != MIXED:
        return ""
    tied = day["tied"]
    suffix = "-soft" if soft else ""
    stops = ", ".join(f"var(--{mood}{suffix}) {100 * i / len(tied):.0f}% {100 * (i + 1) / len(tied):.0f}%"
                      for i, mood in enumerate(tied))
    return f"background: linear-gradient(135deg, {stops})"


def _legend(calendar: dict) -> list[dict]:
    moods = calendar.get("moods", {})
    return [{"mood": m, "label": _("Mixed") if m == MIXED else i18n.mood_label(m), "days": moods.get(m, 0)}
            for m in (*MOODS, MIXED) if m != MIXED or moods.get(MIXED)] if calendar else []


def _day_badge(day: dict) -> str:
    """The small count beside a day's emoji: "×3" (three readings, all that mood), "2/3" (two of
    three), nothing for a single reading; a mixed day shows each tied mood once: "×2" readings."""
    total, mood = day.get("total", 0), day.get("mood")
    if total <= 1:
        return ""
    if mood == MIXED or day["counts"][mood] == total:
        return f"×{total}"
    return f"{day['counts'][mood]}/{total}"


@register.inclusion_tag("includes/calendar_month.html")
def calendar_month(calendar: dict):
    """The month of history.summaries.history_calendar as a table, Monday first: each day a cell
    coloured by its mood (a mixed day split between its tied moods), its words for screen readers
    and a link to that day's entries when it has some."""
    days = calendar["days"]
    first = dt.date.fromisoformat(days[0]["date"])
    cells = [None] * first.weekday()
    today = calendar.get("today")
    for day in days:
        cells.append({**day, "number": int(day["date"][-2:]), "text": day_text(day), "style": _cell_style(day, soft=True),
                      "badge": _day_badge(day),
                      "future": today is not None and day["date"] > today, "today": day["date"] == today})
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[i:i + 7] for i in range(0, len(cells), 7)]
    weekdays = [{"name": WEEKDAYS[i], "short": WEEKDAYS_ABBR[i]} for i in range(7)]
    return {"calendar": calendar, "weeks": weeks, "weekdays": weekdays, "legend": _legend(calendar),
            "title": formats.date_format(first, "YEAR_MONTH_FORMAT")}


@register.inclusion_tag("includes/calendar_year.html")
def calendar_year(calendar: dict):
    """The year of history.summaries.history_calendar "in pixels": one square per day, a row per
    month (a column per month on narrow screens), as an image with a summary; the month-by-month
    list after it is the text alternative (each month links to its table)."""
    pixels, months = [], {}
    for day in calendar["days"]:
        date = dt.date.fromisoformat(day["date"])
        pixels.append({**day, "month": date.month, "number": date.day, "text": day_text(day),
                       "style": _cell_style(day)})
        summary = months.setdefault(date.month, {"month": date.month, "name": formats.date_format(date, "F"),
                                                 "period": f"{date:%Y-%m}", "days": 0, "readings": 0,
                                                 "moods": dict.fromkeys((*MOODS, MIXED), 0)})
        if day["total"]:
            summary["days"] += 1
            summary["readings"] += day["total"]
            summary["moods"][day["mood"]] += 1
    for summary in months.values():
        parts = [_days_by_mood(summary["moods"][m], m) for m in (*MOODS, MIXED) if summary["moods"][m]]
        summary["text"] = (_("%(days)s: %(moods)s") % {"days": _days_with_readings(summary["days"]), "moods": _list(parts)}
                           if summary["days"] else _("no readings"))
    legend = _legend(calendar)
    parts = [_days_by_mood(item["days"], item["mood"]) for item in legend if item["days"]]
    summary = _days_with_readings(calendar["days_with_readings"])
    if parts:
        summary = _("%(days)s (%(moods)s)") % {"days": summary, "moods": _list(parts)}
    return {"calendar": calendar, "pixels": pixels, "months": list(months.values()), "legend": legend, "summary": summary,
            "day_numbers": range(1, 32),
            "month_letters": [formats.date_format(dt.date(2000, m, 1), "M") for m in range(1, 13)]}


def _days_with_readings(count: int) -> str:
    return ngettext("%(count)s day with readings", "%(count)s days with readings", count) % {"count": count}


def _days_by_mood(count: int, mood: str) -> str:
    """"2 mostly happy" (days), "1 mixed"."""
    if mood == MIXED:
        return _("%(count)s mixed") % {"count": count}
    return _("%(count)s mostly %(mood)s") % {"count": count, "mood": i18n.mood_word(mood)}


@register.filter
def share_width(value) -> str:
    """A share (0..1, or None) as a CSS width in % ("0" for None)."""
    return bar_width(value or 0)


# --- Insights ---------------------------------------------------------------------------------
@register.simple_tag
def mood_cells(group: dict) -> list[dict]:
    """[{mood, count, share}] in mood order for one group of history.summaries.history_insights
    (``share`` None when the group has too few readings to give shares)."""
    counts, shares = group.get("counts") or group.get("moods") or {}, group.get("shares")
    return [{"mood": m, "count": counts.get(m, 0), "share": shares[m] if shares else None} for m in MOODS]


@register.filter
def days(count) -> str:
    """"1 day", "5 days" / "5 hari"."""
    return ngettext("%(count)s day", "%(count)s days", int(count or 0)) % {"count": count}


@register.filter
def tag_label(name) -> str:
    """A tag as pages show it: a default tag (sleep, work...) in the active language, a person's
    own tag as they typed it."""
    from history.models import tag_label as label  # templates load this module before the apps

    return label(name)


@register.filter
def tag_sentence(item: dict) -> str:
    """What a tag's days show, with the counts: "On the 11 days tagged “exercise”, 7 (64%) were
    mostly happy; on the 21 other days with readings, 8 (38%) were." """
    headline = item["headline"]
    with_days, without_days = item["with"]["days"], item["without"]["days"]
    return ngettext(
        "On the %(days)s day tagged “%(tag)s”, %(with)s (%(with_share)s) was mostly %(mood)s; on the "
        "%(other_days)s other days with readings, %(without)s (%(without_share)s) were.",
        "On the %(days)s days tagged “%(tag)s”, %(with)s (%(with_share)s) were mostly %(mood)s; on the "
        "%(other_days)s other days with readings, %(without)s (%(without_share)s) were.",
        with_days,
    ) % {"days": with_days, "tag": tag_label(item["tag"]), "with": headline["with_days"],
         "with_share": percent(headline["with_share"]), "mood": i18n.mood_word(headline["mood"]),
         "other_days": without_days, "without": headline["without_days"],
         "without_share": percent(headline["without_share"])}


@register.filter
def date_text(iso_date) -> str:
    """"2026-11-03" -> "Tue 3 Nov" ("Sel 3 Nov" in Indonesian)."""
    try:
        date = dt.date.fromisoformat(str(iso_date))
    except ValueError:
        return str(iso_date)
    return formats.date_format(date, DAY_FORMAT)


@register.filter
def index(sequence, position):
    """``items|index:2``: the item at that position (None when there is none)."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None
