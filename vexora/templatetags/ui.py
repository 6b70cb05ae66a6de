"""Presentation helpers for the pages: mood emoji and labels, percentages, the mood chart (a
server-rendered SVG of history.selectors.history_stats), form fields."""

from __future__ import annotations

import datetime as dt

from django import template

from vexora.moods import MOOD_EMOJI, MOOD_LABELS, MOODS

register = template.Library()



@register.filter
def mood_emoji(mood) -> str:
    return MOOD_EMOJI.get(str(mood), "🙂")


@register.filter
def mood_label(mood) -> str:
    return MOOD_LABELS.get(str(mood), str(mood).capitalize())


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
