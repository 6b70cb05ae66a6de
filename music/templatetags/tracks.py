"""Template filters for tracks: ``{% load tracks %}`` then ``{{ track|track_reason }}`` (or
``{{ track|track_reason:taste }}`` with a listener's taste), ``{{ ratings|track_rating:track.id }}``."""

from django import template

from music.reasons import track_reason as _track_reason

register = template.Library()


@register.filter
def track_reason(track, taste=None) -> str:
    """Why this track: "calm and acoustic", "bright and danceable" (empty without audio features)."""
    return _track_reason(track, taste=taste or None)


@register.filter
def track_rating(ratings, track_id) -> str:
    """``{{ ratings|track_rating:track.id }}``: "like", "skip" or "" (music.taste.track_ratings)."""
    return (ratings or {}).get(track_id, "") if hasattr(ratings, "get") else ""
