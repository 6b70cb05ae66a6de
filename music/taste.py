"""A listener's taste: the genres they like and never want, whether explicit tracks may be
recommended, and their ratings of tracks (like / skip). Selectors and services, keyword-only;
``taste_get`` gives what ``music.recommender`` and ``music.reasons`` read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from music.models import GenrePreference, Taste, TrackFeedback
from music.recommender import catalog_genres
from music.services import track_resolve
from vexora.errors import InvalidInput, NotFound

MAX_GENRES = 50  # per list (liked, blocked)
FEEDBACK_NOT_FOUND = gettext_lazy("this track has no rating of yours")


@dataclass(frozen=True)
class ListenerTaste:
    """What one listener likes and refuses (empty for a new user: today's recommendations)."""

    liked_genres: tuple[str, ...] = ()
    blocked_genres: tuple[str, ...] = ()
    explicit: bool = True
    liked_artists: tuple[str, ...] = ()
    liked_ids: tuple[str, ...] = ()
    skipped_ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.liked_genres or self.blocked_genres or self.liked_ids or self.skipped_ids) and self.explicit


def taste_get(*, user) -> ListenerTaste:
    """The listener's taste; an anonymous or new user gets the empty one."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ListenerTaste()
    liked, blocked = [], []
    for genre, kind in GenrePreference.objects.filter(user=user).values_list("genre", "kind"):
        (liked if kind == GenrePreference.Kind.LIKE else blocked).append(genre)
    explicit = Taste.objects.filter(user=user).values_list("explicit", flat=True).first()
    liked_ids, skipped_ids, artists = [], [], []
    for track_id, rating, artist in TrackFeedback.objects.filter(user=user).values_list(
            "track_id", "rating", "track__artist"):
        if rating == TrackFeedback.Rating.LIKE:
            liked_ids.append(track_id)
            artists.append(artist)
        else:
            skipped_ids.append(track_id)
    return ListenerTaste(liked_genres=tuple(sorted(liked)), blocked_genres=tuple(sorted(blocked)),
                         explicit=True if explicit is None else explicit,
                         liked_artists=tuple(dict.fromkeys(artists)), liked_ids=tuple(liked_ids),
                         skipped_ids=tuple(skipped_ids))


def taste_update(*, user, liked_genres: Iterable[str] | None = None, blocked_genres: Iterable[str] | None = None,
                 explicit: bool | None = None) -> ListenerTaste:
    """Replaces the lists given (None: unchanged) and the explicit setting. Genres must be the
    catalog's (``catalog_genres``), a genre cannot be both liked and blocked. Raises ``InvalidInput``."""
    known = set(catalog_genres())
    current = taste_get(user=user)
    liked = _genres_checked(liked_genres, known, "liked_genres") if liked_genres is not None else current.liked_genres
    blocked = (_genres_checked(blocked_genres, known, "blocked_genres") if blocked_genres is not None
               else current.blocked_genres)
    both = sorted(set(liked) & set(blocked))
    if both:
        message = f"a genre cannot be both liked and blocked: {', '.join(both)}"
        raise InvalidInput(message, errors={"blocked_genres": [message]})
    if explicit is not None and not isinstance(explicit, bool):
        raise InvalidInput("explicit must be true or false", errors={"explicit": ["must be true or false"]})
    with transaction.atomic():
        GenrePreference.objects.filter(user=user).delete()
        GenrePreference.objects.bulk_create(
            [GenrePreference(user=user, genre=genre, kind=GenrePreference.Kind.LIKE) for genre in liked]
            + [GenrePreference(user=user, genre=genre, kind=GenrePreference.Kind.BLOCK) for genre in blocked]
        )
        if explicit is not None:
            Taste.objects.update_or_create(user=user, defaults={"explicit": explicit})
    return taste_get(user=user)


def _genres_checked(genres, known: set[str], field: str) -> tuple[str, ...]:
    if isinstance(genres, str) or not isinstance(genres, Iterable):
        raise InvalidInput(f"{field} must be a list of genres", errors={field: ["must be a list of genres"]})
    names = []
    for genre in genres:
        if not isinstance(genre, str):
            raise InvalidInput(f"{field} must be a list of genres", errors={field: ["must be a list of genres"]})
        names.append(genre.strip().lower())
    unknown = sorted({name for name in names if name not in known})
    if unknown:
        message = f"unknown genre: {', '.join(unknown)}"
        raise InvalidInput(message, errors={field: [message]})
    names = list(dict.fromkeys(names))
    if len(names) > MAX_GENRES:
        message = gettext("at most %(count)s genres") % {"count": MAX_GENRES}
        raise InvalidInput(message, errors={field: [message]})
    return tuple(sorted(names))


def track_feedback_set(*, user, track_id: str, rating: str) -> TrackFeedback:
    """Rates a track ("like" or "skip"), replacing an earlier rating. Raises ``InvalidInput`` (bad
    rating) and ``NotFound`` (no such track)."""
    if rating not in TrackFeedback.Rating.values:
        raise InvalidInput('rating must be "like" or "skip"', errors={"rating": ['must be "like" or "skip"']})
    track = track_resolve(track_id=track_id)
    feedback, _ = TrackFeedback.objects.update_or_create(user=user, track=track, defaults={"rating": rating})
    return feedback


def track_feedback_delete(*, user, track_id: str) -> None:
    """Undoes the listener's rating of a track. Raises ``NotFound`` when there is none."""
    deleted, _ = TrackFeedback.objects.filter(user=user, track_id=track_id).delete()
    if not deleted:
        raise NotFound(FEEDBACK_NOT_FOUND)


def track_ratings(*, user, track_ids: Iterable[str]) -> dict[str, str]:
    """``{track id: "like" | "skip"}`` for the listener's rated tracks among ``track_ids``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    return dict(TrackFeedback.objects.filter(user=user, track_id__in=list(track_ids)).values_list("track_id", "rating"))


def taste_page_context(*, user, tracks) -> dict:
    """What a page listing ``tracks`` needs for the like / skip buttons and the reasons: the
    listener's ``taste`` and their ``ratings`` of these tracks (``{% track_feedback track %}``)."""
    return {"taste": taste_get(user=user), "ratings": track_ratings(user=user, track_ids=[t.id for t in tracks])}
