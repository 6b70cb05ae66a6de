"""Template tags and filters for tracks (``{% load tracks %}``):

- ``{% track_cover track %}``: the picture's URL (the cover, else the generated artwork's path);
- ``{{ track|track_facts|join:" · " }}``: year, genre and length ("2019 · R&B · 3:25");
- ``{{ track|track_reason }}`` (or ``{{ track|track_reason:taste }}``): why this track, in the
  page's language; ``{% track_reason_here track as reason %}`` reads ``taste`` from the page;
- ``{% track_feedback track %}``: the like / skip buttons.
"""

from django import template
from django.utils.translation import gettext

from music.genres import genre_label
from music.reasons import track_reason as _track_reason
from music.selectors import track_artwork_path

register = template.Library()


@register.simple_tag
def track_cover(track) -> str:
    """The album cover when known, else the path of the track's generated artwork."""
    return track.thumbnail or track_artwork_path(track=track)


def duration_text(milliseconds) -> str:
    """203000 -> "3:23"; an hour or more -> "1:02:05"; unknown -> ""."""
    if not isinstance(milliseconds, int) or milliseconds <= 0:
        return ""
    seconds = round(milliseconds / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def track_facts(track) -> list[str]:
    """The year, the genre and the length the track has (each left out when unknown)."""
    genre = track.genre or (track.genre_list[0] if track.genre_list else "")
    facts = [str(track.release_year) if track.release_year else "", genre_label(genre), duration_text(track.duration_ms)]
    return [fact for fact in facts if fact]


@register.filter
def track_reason(track, taste=None) -> str:
    """Why this track: "calm and acoustic", "bright and danceable" (empty without audio features)."""
    return _track_reason(track, taste=taste or None, translate=gettext)


@register.simple_tag(takes_context=True)
def track_reason_here(context, track) -> str:
    """``{% track_reason_here track as reason %}``: the reason with the page's ``taste`` when it
    has one (pages without a taste in their context stay quiet: no lookup of a missing variable)."""
    return _track_reason(track, taste=context.get("taste") or None, translate=gettext)


@register.inclusion_tag("includes/track_feedback.html", takes_context=True)
def track_feedback(context, track) -> dict:
    """``{% track_feedback track %}``: the like / skip buttons, on pages whose context carries the
    listener's ``ratings`` (music.taste.taste_page_context); nothing elsewhere."""
    ratings = context.get("ratings")
    return {"show": ratings is not None, "track": track, "rating": (ratings or {}).get(track.id, ""),
            "request": context.get("request"), "csrf_token": context.get("csrf_token")}
