"""Template filters for tracks: ``{% load tracks %}`` then ``{{ track|track_reason }}`` (or
``{{ track|track_reason:taste }}`` with a listener's taste);
``{% track_reason_here track as reason %}`` reads ``taste`` from the page; ``{% track_feedback track %}``
renders the like / skip buttons."""

from django import template

from music.reasons import track_reason as _track_reason

register = template.Library()


@register.filter
def track_reason(track, taste=None) -> str:
    """Why this track: "calm and acoustic", "bright and danceable" (empty without audio features)."""
    return _track_reason(track, taste=taste or None)



@register.simple_tag(takes_context=True)
def track_reason_here(context, track) -> str:
    """``{% track_reason_here track as reason %}``: the reason with the page's ``taste`` when it
    has one (pages without a taste in their context stay quiet: no lookup of a missing variable)."""
    return _track_reason(track, taste=context.get("taste") or None)


@register.inclusion_tag("includes/track_feedback.html", takes_context=True)
def track_feedback(context, track) -> dict:
    """``{% track_feedback track %}``: the like / skip buttons, on pages whose context carries the
    listener's ``ratings`` (music.taste.taste_page_context); nothing elsewhere."""
    ratings = context.get("ratings")
    return {"show": ratings is not None, "track": track, "rating": (ratings or {}).get(track.id, ""),
            "request": context.get("request"), "csrf_token": context.get("csrf_token")}
