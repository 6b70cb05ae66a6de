"""Presentation helpers for the pages: mood emoji and labels, percentages, the mood chart (a
server-rendered SVG of history.selectors.history_stats), form fields."""

from __future__ import annotations

import datetime as dt

from django import template

from vexora import i18n
from vexora.moods import MOOD_EMOJI, MOOD_LABELS, MOODS

register = template.Library()



@register.filter
def mood_emoji(mood) -> str:
    return MOOD_EMOJI.get(str(mood), "🙂")


@register.filter
def mood_label(mood) -> str:
    return i18n.mood_label(mood)


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
        parts = [f"{point[m]} {MOOD_LABELS[m].split()[0].lower()}" for m in MOODS if point.get(m)]
        label = f"{day:%a} {day.day} {day:%b}: " + (", ".join(parts) if parts else "no scans")
        bars.append({"segments": segments, "label": label, "hit_x": i * SLOT})
    ticks = []
    for i, point in enumerate(series):
        if (days - 1 - i) % TICK_EVERY == 0:
            day = dt.date.fromisoformat(point["date"])
            edge = "end" if i == days - 1 else ("start" if i == 0 else "")
            minor = ((days - 1 - i) // TICK_EVERY) % 2 == 1  # hidden on narrow screens
            ticks.append({"left": f"{100.0 * (i + 0.5) / days:.2f}", "text": f"{day.day} {day:%b}",
                          "classes": " ".join(c for c in (edge, "minor" if minor else "") if c)})
    levels = sorted({0, peak} | ({peak // 2} if peak >= 4 else set()))
    gridlines = [{"y": f"{100.0 - 100.0 * value / peak:.2f}", "bottom": f"{100.0 * value / peak:.2f}",
                  "label": value} for value in levels]
    counts = stats.get("counts", {})
    legend = [{"mood": m, "count": counts.get(m, 0)} for m in MOODS]
    summary = ", ".join(f"{item['count']} {MOOD_LABELS[item['mood']].split()[0].lower()}" for item in legend)
    return {
        "plot_width": days * SLOT, "bars": bars, "slot": SLOT, "ticks": ticks, "gridlines": gridlines,
        "legend": legend, "total": stats.get("total", 0), "days": stats.get("days", days), "summary": summary,
        "first": stats.get("from"), "last": stats.get("to"),
    }


# --- The calendar -----------------------------------------------------------------------------
MIXED = "mixed"  # history.summaries.MIXED (templates may not import history)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _mood_word(mood: str) -> str:
    return MOOD_LABELS[mood].split()[0].lower()


def _counts_text(counts: dict) -> str:
    return ", ".join(f"{counts[m]} {_mood_word(m)}" for m in MOODS if counts.get(m))


@register.filter
def day_text(day: dict) -> str:
    """A calendar day (history.summaries) in words, counts included: "Tue 3 November: mostly happy
    (3 readings: 2 happy, 1 sad)", "... mixed (2 readings: 1 happy, 1 sad)", "...: no readings"."""
    date = dt.date.fromisoformat(day["date"])
    head = f"{date:%a} {date.day} {date:%B}"
    total = day.get("total", 0)
    if not total:
        return f"{head}: no readings"
    readings = f"{total} reading{'s' if total != 1 else ''}"
    mood = day["mood"]
    if mood == MIXED:
        return f"{head}: mixed ({readings}: {_counts_text(day['counts'])})"
    if day["counts"][mood] == total:
        return f"{head}: {_mood_word(mood)} ({readings})"
    return f"{head}: mostly {_mood_word(mood)} ({readings}: {_counts_text(day['counts'])})"


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
    return [{"mood": m, "label": MOOD_LABELS.get(m, "Mixed"), "days": moods.get(m, 0)} for m in (*MOODS, MIXED)
            if m != MIXED or moods.get(MIXED)] if calendar else []


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
    return {"calendar": calendar, "weeks": weeks, "weekdays": WEEKDAY_NAMES, "legend": _legend(calendar),
            "title": f"{first:%B %Y}"}


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
        summary = months.setdefault(date.month, {"month": date.month, "name": f"{date:%B}",
                                                 "period": f"{date:%Y-%m}", "days": 0, "readings": 0,
                                                 "moods": dict.fromkeys((*MOODS, MIXED), 0)})
        if day["total"]:
            summary["days"] += 1
            summary["readings"] += day["total"]
            summary["moods"][day["mood"]] += 1
    for summary in months.values():
        parts = [f"{summary['moods'][m]} {'mixed' if m == MIXED else 'mostly ' + _mood_word(m)}"
                 for m in (*MOODS, MIXED) if summary["moods"][m]]
        summary["text"] = (f"{summary['days']} day{'s' if summary['days'] != 1 else ''} with readings: "
                           + ", ".join(parts)) if summary["days"] else "no readings"
    legend = _legend(calendar)
    parts = [f"{item['days']} {'mixed' if item['mood'] == MIXED else 'mostly ' + _mood_word(item['mood'])}"
             for item in legend if item["days"]]
    with_readings = calendar["days_with_readings"]
    summary = f"{with_readings} day{'s' if with_readings != 1 else ''} with readings" + (
        f" ({', '.join(parts)})" if parts else "")
    return {"calendar": calendar, "pixels": pixels, "months": list(months.values()), "legend": legend, "summary": summary,
            "day_numbers": range(1, 32), "month_letters": [f"{dt.date(2000, m, 1):%b}" for m in range(1, 13)]}


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


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


@register.filter
def tag_sentence(item: dict) -> str:
    """What a tag's days show, with the counts: "On the 11 days tagged exercise, 7 (64%) were
    mostly happy; on the 21 other days with readings, 8 (38%) were." """
    headline = item["headline"]
    mood = _mood_word(headline["mood"])
    with_days, without_days = item["with"]["days"], item["without"]["days"]
    return (f"On the {_days(with_days)} tagged “{item['tag']}”, {headline['with_days']} "
            f"({percent(headline['with_share'])}) were mostly {mood}; on the {without_days} other days with "
            f"readings, {headline['without_days']} ({percent(headline['without_share'])}) were.")


@register.filter
def date_text(iso_date) -> str:
    """"2026-11-03" -> "Tue 3 Nov"."""
    try:
        date = dt.date.fromisoformat(str(iso_date))
    except ValueError:
        return str(iso_date)
    return f"{date:%a} {date.day} {date:%b}"


@register.filter
def index(sequence, position):
    """``items|index:2``: the item at that position (None when there is none)."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None
