"""Writes of a person's mood history: record a detection, recommend again for an entry, record
the person's answer to a reading (a correction), set an entry's note and tags, erase an entry,
save its tracks as a playlist. Plain functions, keyword-only arguments, raising ``vexora.errors``
domain errors."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from accounts.selectors import user_time_zone
from history.models import NOTE_MAX_LENGTH, TAG_NAME_MAX_LENGTH, HistoryEntry, HistoryEntryTag, HistoryTrack, Tag
from vexora.i18n import mood_label
from vexora.moods import MOODS
from history.selectors import ENTRY_NOT_FOUND, RECENT_ENTRIES_NOT_REPEATED, history_recent_track_ids
from music.models import Playlist, Track
from music.recommender import recommend_tracks
from music.services import NAME_TAKEN, playlist_create, tracks_attach_covers
from music.taste import taste_get
from vexora.errors import InvalidInput, NotFound, ServiceUnavailable, mood_checked, strategy_checked

# How many tracks one recommendation holds (a detection's, moods.services.mood_detect, and a new
# list for the same entry, history_recommend_again).
RECOMMENDATION_SIZE = 10
NO_NEW_TRACKS = gettext_lazy("no other songs are available for this mood right now")
PROBABILITY_TOLERANCE = 1e-3  # probabilities must sum to 1 within this
DEFAULT_NAME_ATTEMPTS = 20    # "Happy mix — 24 Nov 2026", "... (2)", ... "... (20)"
TAGS_PER_ENTRY_MAX = 10
TAGS_PER_USER_MAX = 200
# A tag: letters or digits first, then letters, digits, spaces, - _ ' & (no commas: the pages take
# "a, b, c"); inner runs of spaces become one.
_TAG_RE = re.compile(r"^[^\W_][\w '&-]*$")
NOTE_TOO_LONG = format_lazy(gettext_lazy("note is too long ({count} characters at most)"), count=NOTE_MAX_LENGTH)
TAG_INVALID = format_lazy(gettext_lazy("a tag is 1 to {count} characters: letters, digits, spaces, - _ ' &, "
                                       "starting with a letter or digit"), count=TAG_NAME_MAX_LENGTH)
TOO_MANY_TAGS = format_lazy(gettext_lazy("at most {count} tags on an entry"), count=TAGS_PER_ENTRY_MAX)
TAG_LIMIT_REACHED = format_lazy(gettext_lazy("you have {count} tags already: reuse one of them"), count=TAGS_PER_USER_MAX)


def history_record(*, user, mood: str, confidence: float, probabilities: Mapping[str, float],
                   tracks: Iterable[Track], strategy: str = "match") -> HistoryEntry:
    """Stores one mood detection and the tracks recommended with it (in that order), in one
    transaction: either the entry and all its tracks are saved, or nothing is.

    ``probabilities`` must give every mood a probability in [0, 1], summing to 1; ``confidence``
    is in [0, 1]. ``tracks`` are saved ``Track`` rows, each at most once. Raises ``InvalidInput``.
    """
    mood = mood_checked(mood)
    strategy_checked(strategy)
    confidence = _unit_float(confidence, "confidence")
    probabilities = _clean_probabilities(probabilities)
    tracks = list(tracks)
    try:
        with transaction.atomic():
            entry = HistoryEntry.objects.create(user=user, mood=mood, confidence=confidence,
                                                probabilities=probabilities, strategy=strategy,
                                                track_count=len(tracks))
            HistoryTrack.objects.bulk_create(
                [HistoryTrack(entry=entry, track=track, position=i) for i, track in enumerate(tracks)]
            )
    except IntegrityError:  # a track listed twice (or not saved): the entry is rolled back too
        raise InvalidInput("each track must be a saved track, listed once",
                           errors={"tracks": ["each track must be a saved track, listed once"]}) from None
    return entry


def history_recommend_again(*, entry: HistoryEntry, strategy: str) -> HistoryEntry:
    """A fresh list of tracks for the same entry ("match my mood" / "lift my mood" without a new
    photo): one detection stays one entry, so mood counts and stats do not change.

    ``recommend_tracks`` for the entry's effective mood (the person's correction, else the model's
    reading) and ``strategy`` ("match" or "uplift"), leaving out the entry's current tracks and
    those of the user's last ``RECENT_ENTRIES_NOT_REPEATED`` entries; then, in one transaction,
    the entry's tracks are replaced (in the new order) and its ``strategy`` set. Covers are
    attached after the commit, as ``mood_detect`` does.

    Raises ``InvalidInput`` (unknown strategy), ``NotFound`` (the entry was deleted meanwhile) and
    ``ServiceUnavailable`` when the catalog has no other track to offer; nothing is changed then.
    Returns ``entry`` updated (``strategy``; tracks prefetched before the call are dropped).
    """
    strategy_checked(strategy)
    return _tracks_replace(entry=entry, strategy=strategy, corrected_mood=entry.corrected_mood)


def history_correct_mood(*, entry: HistoryEntry, mood: str) -> HistoryEntry:
    """The person's answer to the reading ("Not right? I feel…"): ``mood`` is what they feel.

    The model's reading (``entry.mood``, confidence, probabilities) is never changed; ``mood`` is
    stored as ``corrected_mood`` (equal to ``entry.mood``: they confirmed the reading). From then
    on the entry counts as ``mood`` in the history, its filters, stats and most-mood. When that
    changes the entry's effective mood, its songs are picked again for ``mood`` with the entry's
    strategy (``history_recommend_again``'s rules: the songs just shown and those of the last
    entries are left out); answering the same mood again changes nothing.

    Raises ``InvalidInput`` (not one of vexora.moods.MOODS), ``NotFound`` (the entry was deleted
    meanwhile), ``ServiceUnavailable`` (no song left for that mood; nothing is changed then).
    """
    mood = mood_checked(mood)
    if mood == entry.corrected_mood:
        return entry
    if mood == entry.effective_mood:  # a confirmation: the songs already fit
        with transaction.atomic():
            if not HistoryEntry.objects.filter(pk=entry.pk).update(corrected_mood=mood):
                raise NotFound(ENTRY_NOT_FOUND)
        entry.corrected_mood = mood
        return entry
    return _tracks_replace(entry=entry, strategy=entry.strategy, corrected_mood=mood)


def _tracks_replace(*, entry: HistoryEntry, strategy: str, corrected_mood: str | None) -> HistoryEntry:
    """New tracks for ``entry`` as if it read ``corrected_mood or entry.mood``, stored with
    ``strategy`` and ``corrected_mood`` in one transaction (see ``history_recommend_again``)."""
    mood = corrected_mood or entry.mood
    current = list(HistoryTrack.objects.filter(entry_id=entry.pk).values_list("track_id", flat=True))
    recent = history_recent_track_ids(user=entry.user, entries=RECENT_ENTRIES_NOT_REPEATED)
    tracks = recommend_tracks(mood=mood, strategy=strategy, limit=RECOMMENDATION_SIZE,
                              exclude_ids={*current, *recent}, taste=taste_get(user=entry.user))
    if not tracks and current:  # never trade the person's list for an empty one
        raise ServiceUnavailable(NO_NEW_TRACKS)
    with transaction.atomic():
        # Locks the entry: two requests for the same entry replace its tracks one after the other.
        if HistoryEntry.objects.select_for_update().filter(pk=entry.pk).first() is None:
            raise NotFound(ENTRY_NOT_FOUND)
        HistoryTrack.objects.filter(entry_id=entry.pk).delete()
        HistoryTrack.objects.bulk_create(
            [HistoryTrack(entry_id=entry.pk, track=track, position=i) for i, track in enumerate(tracks)]
        )
        HistoryEntry.objects.filter(pk=entry.pk).update(strategy=strategy, corrected_mood=corrected_mood,
                                                        track_count=len(tracks))
    entry.strategy = strategy
    entry.corrected_mood = corrected_mood
    entry.track_count = len(tracks)
    getattr(entry, "_prefetched_objects_cache", {}).pop("items", None)
    # Covers (Spotify, when configured) after the commit: a Spotify fault only means placeholders.
    tracks_attach_covers(tracks=tracks)
    return entry


def history_delete(*, entry: HistoryEntry) -> None:
    """Erases an entry and the tracks recorded with it (a person may erase their own data)."""
    entry.delete()  # HistoryTrack rows cascade; the catalog tracks stay


def history_save_as_playlist(*, entry: HistoryEntry, name: str | None = None, description: str = "") -> Playlist:
    """A new playlist of the entry's owner holding the entry's tracks in order
    (``music.services.playlist_create``: its name rules and messages apply).

    Without a ``name``, the playlist is called e.g. "Happy mix — 24 Nov 2026" (the entry's date in
    the user's time zone), with " (2)", " (3)"... when the user already has one by that name. A
    ``name`` given explicitly that is already taken is refused (``InvalidInput``).
    """
    track_ids = list(entry.items.order_by("position").values_list("track_id", flat=True))
    if name is not None and str(name).strip():
        return playlist_create(user=entry.user, name=name, description=description, track_ids=track_ids)
    base = history_default_playlist_name(entry=entry)
    names = [base, *(f"{base} ({n})" for n in range(2, DEFAULT_NAME_ATTEMPTS + 1))]
    for candidate in names[:-1]:
        try:
            return playlist_create(user=entry.user, name=candidate, description=description, track_ids=track_ids)
        except InvalidInput as error:
            if error.message != NAME_TAKEN:
                raise
    return playlist_create(user=entry.user, name=names[-1], description=description, track_ids=track_ids)


def history_entry_update(*, entry: HistoryEntry, mood: str | None = None, note: str | None = None,
                         tags: Iterable[str] | None = None) -> HistoryEntry:
    """Sets any of an entry's ``mood`` (the person's answer), ``note`` and ``tags`` (None:
    unchanged; ``""`` / ``[]``: cleared) -- PATCH history/{uuid}.

    ``mood``: what the person feels, stored by :func:`history_correct_mood` (its songs picked again
    when the entry's effective mood changes).
    ``note``: at most NOTE_MAX_LENGTH characters, surrounding spaces dropped, line ends as ``\n``.
    ``tags``: names (see TAG_INVALID), at most TAGS_PER_ENTRY_MAX, repeats ignored whatever their
    case; each is the user's tag of that name (any case) or a new one spelled as given. A tag no
    entry carries any more is deleted.

    Every value is checked before anything is stored: InvalidInput (with ``errors`` naming
    ``mood``, ``note`` or ``tags``) changes nothing. The answer is stored first: when no song is
    left for it (ServiceUnavailable) nothing is changed either. Note and tags are then stored in
    one transaction. NotFound when the entry was deleted meanwhile. Returns ``entry`` with
    ``corrected_mood`` and ``note`` set and its tags prefetched anew."""
    mood = mood_checked(mood) if mood is not None else None
    if note is not None:
        note = _note_clean(note)
    names = _tag_names_clean(tags) if tags is not None else None
    if names is not None:
        _tags_room_check(user_id=entry.user_id, names=names)
    if mood is not None:
        history_correct_mood(entry=entry, mood=mood)
    if note is None and names is None:
        return entry
    with transaction.atomic():
        if HistoryEntry.objects.select_for_update().filter(pk=entry.pk).first() is None:
            raise NotFound(ENTRY_NOT_FOUND)
        if note is not None:
            HistoryEntry.objects.filter(pk=entry.pk).update(note=note)
            entry.note = note
        if names is not None:
            _entry_tags_set(entry=entry, names=names)
    getattr(entry, "_prefetched_objects_cache", {}).pop("tags", None)
    return entry


def _entry_tags_set(*, entry: HistoryEntry, names: list[str]) -> None:
    wanted = [_tag_for(user_id=entry.user_id, name=name) for name in names]
    wanted_ids = {tag.pk for tag in wanted}
    current = set(HistoryEntryTag.objects.filter(entry_id=entry.pk).values_list("tag_id", flat=True))
    HistoryEntryTag.objects.filter(entry_id=entry.pk).exclude(tag_id__in=wanted_ids).delete()
    HistoryEntryTag.objects.bulk_create([HistoryEntryTag(entry_id=entry.pk, tag_id=pk)
                                         for pk in wanted_ids - current])
    Tag.objects.filter(pk__in=current - wanted_ids, entry_links__isnull=True).delete()


def _tags_room_check(*, user_id, names: list[str]) -> None:
    """InvalidInput (TAG_LIMIT_REACHED) when ``names`` would create more tags than the user may
    have; :func:`_tag_for` checks again as it creates them."""
    existing = {name.lower() for name in Tag.objects.filter(user_id=user_id).values_list("name", flat=True)}
    new = sum(1 for name in names if name.lower() not in existing)
    if new and len(existing) + new > TAGS_PER_USER_MAX:
        raise InvalidInput(TAG_LIMIT_REACHED, errors={"tags": [TAG_LIMIT_REACHED]})


def _tag_for(*, user_id, name: str) -> Tag:
    """The user's tag called ``name`` (any case), created when there is none."""
    tag = Tag.objects.filter(user_id=user_id, name__iexact=name).first()
    if tag is not None:
        return tag
    if Tag.objects.filter(user_id=user_id).count() >= TAGS_PER_USER_MAX:
        raise InvalidInput(TAG_LIMIT_REACHED, errors={"tags": [TAG_LIMIT_REACHED]})
    try:
        with transaction.atomic():
            return Tag.objects.create(user_id=user_id, name=name)
    except IntegrityError:  # created meanwhile by a parallel request (unique per user, any case)
        return Tag.objects.get(user_id=user_id, name__iexact=name)


def _note_clean(note) -> str:
    if not isinstance(note, str):
        raise InvalidInput("note must be text", errors={"note": ["must be a string"]})
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(NOTE_TOO_LONG, errors={"note": [NOTE_TOO_LONG]})
    return note


def tag_name_clean(name) -> str:
    """A tag name as stored: inner spaces collapsed, ends trimmed; InvalidInput when it breaks the
    rules (TAG_INVALID)."""
    cleaned = " ".join(name.split()) if isinstance(name, str) else ""
    if not cleaned or len(cleaned) > TAG_NAME_MAX_LENGTH or not _TAG_RE.match(cleaned):
        raise InvalidInput(f"tags: {TAG_INVALID}", errors={"tags": [TAG_INVALID]})
    return cleaned


def _tag_names_clean(tags) -> list[str]:
    if isinstance(tags, str) or not isinstance(tags, Iterable):
        raise InvalidInput("tags must be a list of names", errors={"tags": ["a list of names"]})
    names: dict[str, str] = {}
    for name in tags:
        cleaned = tag_name_clean(name)
        names.setdefault(cleaned.lower(), cleaned)
    if len(names) > TAGS_PER_ENTRY_MAX:
        raise InvalidInput(TOO_MANY_TAGS, errors={"tags": [TOO_MANY_TAGS]})
    return list(names.values())


def history_default_playlist_name(*, entry: HistoryEntry) -> str:
    """"Happy mix — 24 Nov 2026", in the active language (the API's English, a page's language)."""
    day = timezone.localtime(entry.created_at, user_time_zone(user=entry.user))
    return gettext("%(mood)s mix — %(date)s") % {"mood": mood_label(entry.effective_mood),
                                                 "date": formats.date_format(day, "j M Y")}


def _unit_float(value, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not 0.0 <= number <= 1.0:  # NaN fails the comparison too
        raise InvalidInput(f"{field} must be a number from 0 to 1", errors={field: ["a number from 0 to 1"]})
    return number


def _clean_probabilities(probabilities) -> dict[str, float]:
    if not isinstance(probabilities, Mapping) or set(probabilities) != set(MOODS):
        raise InvalidInput("probabilities must give every mood a value",
                           errors={"probabilities": [f"one value for each of {', '.join(MOODS)}"]})
    cleaned = {mood: _unit_float(probabilities[mood], "probabilities") for mood in MOODS}
    if abs(sum(cleaned.values()) - 1.0) > PROBABILITY_TOLERANCE:
        raise InvalidInput("probabilities must sum to 1", errors={"probabilities": ["must sum to 1"]})
    return cleaned
