"""Why this track: a short phrase from a track's audio features ("calm and acoustic", "bright and
danceable"), optionally led by what it shares with the listener's taste ("one of your genres").
Plain Python (no Django): it reads attributes of a Track or keys of a dict. English by default (the
API's ``reason``); pages pass Django's ``gettext`` as ``translate`` (music.templatetags.tracks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol


def _(text: str) -> str:
    """Marks ``text`` for the translation catalogue (locale/) without translating it here: this
    module stays free of Django; ``track_reason(..., translate=gettext)`` translates."""
    return text


def _english(text: str) -> str:
    return text


PLAIN = _("balanced and mid-tempo")  # when no feature stands out
# Two traits ("calm and acoustic"), and the taste leading the traits ("one of your genres, calm").
BOTH = _("%(first)s and %(second)s")
LED_BY_TASTE = _("%(shared)s, %(features)s")


class Taste(Protocol):
    """What a listener likes (genres as the catalog names them: "jazz", "r-n-b"; artists as
    credited). Any object with these attributes will do."""

    liked_genres: Iterable[str]
    liked_artists: Iterable[str]


def _value(track, name: str) -> float | None:
    raw = track.get(name) if isinstance(track, Mapping) else getattr(track, name, None)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _descriptors(track) -> list[tuple[float, int, str]]:
    """(salience 0..1, position in the phrase, word) for each feature that stands out."""
    valence, energy = _value(track, "valence"), _value(track, "energy")
    found = []

    def add(value, low, high, word_low, word_high, order):
        if value is None:
            return
        if word_low and value < low:
            found.append(((low - value) / low, order, word_low))
        elif word_high and value > high:
            found.append(((value - high) / (1.0 - high), order, word_high))

    # Phrase order: "calm and melancholic", "bright and energetic", "dark and intense", "... and acoustic".
    if energy is not None and energy < 0.35:
        found.append(((0.35 - energy) / 0.35, 0, _("calm")))
    elif energy is not None and energy > 0.75:
        intense = _("intense") if valence is not None and valence < 0.4 else _("energetic")
        found.append(((energy - 0.75) / 0.25, 2, intense))
    add(valence, 0.3, 0.65, _("dark") if energy is not None and energy > 0.6 else _("melancholic"), _("bright"), 1)
    add(_value(track, "acousticness"), 0, 0.6, None, _("acoustic"), 3)
    add(_value(track, "instrumentalness"), 0, 0.5, None, _("instrumental"), 3)
    add(_value(track, "danceability"), 0, 0.7, None, _("danceable"), 3)
    tempo = _value(track, "tempo")
    if tempo is not None and 0 < tempo < 80:
        found.append(((80 - tempo) / 40, 4, _("slow")))
    elif tempo is not None and tempo > 150:
        found.append(((tempo - 150) / 80, 4, _("fast")))
    return found


def track_reason(track, *, taste: Taste | None = None, translate: Callable[[str], str] = _english) -> str:
    """A short reason for listing ``track`` (a Track or a dict of audio features): its two most
    salient traits, e.g. "calm and acoustic"; led by "one of your artists" / "one of your genres"
    when ``taste`` says so. An empty string when the track has no audio features. In English
    unless ``translate`` (e.g. Django's ``gettext``) translates each word and pattern."""
    if _value(track, "valence") is None and _value(track, "energy") is None:
        features = ""
    else:
        chosen = sorted(_descriptors(track), reverse=True)[:2]
        words = [translate(word) for _salience, _order, word in sorted(chosen, key=lambda item: item[1])]
        if len(words) == 2:
            features = translate(BOTH) % {"first": words[0], "second": words[1]}
        else:
            features = words[0] if words else translate(PLAIN)
    shared = _taste_reason(track, taste) if taste is not None else ""
    shared = translate(shared) if shared else ""  # gettext("") would be the catalogue's header
    if shared and features:
        return translate(LED_BY_TASTE) % {"shared": shared, "features": features}
    return shared or features


def _taste_reason(track, taste: Taste) -> str:
    artist = (track.get("artist") if isinstance(track, Mapping) else getattr(track, "artist", "")) or ""
    liked_artists = {name.casefold() for name in getattr(taste, "liked_artists", ()) or ()}
    credited = {artist.casefold(), *(name.strip().casefold() for name in artist.split(", "))}
    if artist and credited & liked_artists:
        return _("one of your artists")
    genres = (track.get("genres") if isinstance(track, Mapping) else getattr(track, "genres", "")) or ""
    liked_genres = {genre.casefold() for genre in getattr(taste, "liked_genres", ()) or ()}
    if liked_genres & {genre.strip().casefold() for genre in genres.split(",") if genre.strip()}:
        return _("one of your genres")
    return ""
