"""Reads: tracks (catalog, Spotify), recommendations, playlists. Plain functions, keyword-only
arguments, raising ``vexora.errors`` domain errors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from music.artwork import artwork_svg, artwork_version
from music.models import Playlist, PlaylistTrack, Track, is_track_id
from music.providers import spotify
from music.track_moods import FEATURES, predict_track_moods
from music.recommender import recommend_tracks, tracks_random  # noqa: F401 (part of the read API)
from vexora.errors import InvalidInput, NotFound

SEARCH_LIMIT = 20
SEARCH_QUERY_MAX = 100

TRACK_NOT_FOUND = gettext_lazy("track not found")
PLAYLIST_NOT_FOUND = gettext_lazy("playlist not found")


# --- Tracks ----------------------------------------------------------------------------------
def track_get(*, track_id: str) -> Track:
    """A track by Spotify id: from the database, else from Spotify (an unsaved ``Track``).

    A malformed id (not 22 base62 characters) cannot name a track: ``NotFound`` like an unknown one.
    """
    if not is_track_id(track_id):
        raise NotFound(TRACK_NOT_FOUND)
    track = Track.objects.filter(pk=track_id).first()
    if track is not None:
        return track
    remote = spotify.get_track(track_id=track_id)
    if remote is None:
        raise NotFound(TRACK_NOT_FOUND)
    return Track(**remote.track_fields(), in_catalog=False)


def track_search(*, query: str, limit: int = SEARCH_LIMIT) -> list[Track]:
    """Tracks whose title, artist or album contain every word of ``query`` (case-insensitive).

    With Spotify configured, its live results (one page, at most 10) come first, then catalog
    matches not already listed; if Spotify fails, the catalog answers alone. Catalog matches are
    ranked: exact title, exact artist, title prefix, artist prefix, title, artist, album; then by
    popularity. A song the catalog holds under several ids (remasters, compilations) is found once,
    under its shown id. Spotify-only results are unsaved ``Track`` objects.
    """
    query = " ".join(str(query or "").split())
    if not query:
        raise InvalidInput(gettext("search query is required"), errors={"search": [gettext("this field is required")]})
    if len(query) > SEARCH_QUERY_MAX:
        raise InvalidInput(gettext("search query is too long"),
                           errors={"search": [gettext("at most %(count)s characters") % {"count": SEARCH_QUERY_MAX}]})
    results: list[Track] = []
    remote = spotify.search_tracks(query=query) if spotify.is_configured() else None
    for item in remote or ():
        results.append(Track(**item.track_fields(), in_catalog=False))
    seen = {track.id for track in results}
    for track in _catalog_search(query, limit + len(seen)):
        if track.id not in seen:
            results.append(track)
            seen.add(track.id)
    return results[:limit]


def _catalog_search(query: str, limit: int) -> list[Track]:
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word) | Q(artist__icontains=word) | Q(album__icontains=word)
    rank = Case(
        When(name__iexact=query, then=Value(0)),
        When(artist__iexact=query, then=Value(1)),
        When(name__istartswith=query, then=Value(2)),
        When(artist__istartswith=query, then=Value(3)),
        When(name__icontains=query, then=Value(4)),
        When(artist__icontains=query, then=Value(5)),
        When(album__icontains=query, then=Value(6)),
        default=Value(7),
        output_field=IntegerField(),
    )
    return list(
        Track.objects.filter(condition, duplicate_of="").annotate(rank=rank)
        .order_by("rank", F("popularity").desc(nulls_last=True), "name", "id")[:limit]
    )


def _artwork_inputs(track: Track) -> dict:
    """What a track's generated artwork is drawn from: title, genres and mood probabilities (the
    stored ones; for a track with audio features but none stored, the track mood model's)."""
    moods = track.mood_probabilities
    if moods is None and (track.valence is not None or track.energy is not None):
        moods = predict_track_moods([{name: getattr(track, name, None) for name in FEATURES}])[0]
    return {"title": track.name, "genres": track.genre_list or ([track.genre] if track.genre else []), "moods": moods}


def track_artwork_path(*, track: Track) -> str:
    """This site's path of the track's generated artwork (``/covers/<id>.svg?v=<digest>``): the
    digest changes with what the artwork is drawn from, so the image may be cached for good."""
    version = artwork_version(track_id=track.id, **_artwork_inputs(track))
    return f"{reverse('music:cover', kwargs={'track_id': track.id})}?v={version}"


def track_thumbnail(*, track: Track, request=None) -> str:
    """The absolute URL of the track's picture: its cover (Spotify's, once known) or its generated
    artwork on this site, for ``request``'s scheme and host (without a request: ``SITE_URL``)."""
    if track.thumbnail:
        return track.thumbnail
    path = track_artwork_path(track=track)
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Artwork:
    svg: str
    version: str          # the digest its URL carries (``?v=``)
    track: Track | None   # the stored track it was drawn for (None: an id the database lacks)


def track_artwork(*, track_id: str) -> Artwork:
    """The generated artwork (SVG) of a track: drawn from its title, genre and moods, or, for an
    id the database does not hold, from the id alone. A malformed id is ``NotFound``."""
    if not is_track_id(track_id):
        raise NotFound(TRACK_NOT_FOUND)
    track = Track.objects.filter(pk=track_id).first()
    inputs = _artwork_inputs(track) if track is not None else {}
    return Artwork(svg=artwork_svg(track_id=track_id, **inputs), version=artwork_version(track_id=track_id, **inputs),
                   track=track)


# --- Playlists -------------------------------------------------------------------------------
def playlist_list(*, user) -> QuerySet[Playlist]:
    """The user's playlists, newest first, with ``track_count`` annotated."""
    # Counted per playlist fetched (a correlated subquery), so the list's COUNT and a page do not
    # group every playlist's tracks.
    items = PlaylistTrack.objects.filter(playlist=OuterRef("pk")).order_by().annotate(n=Func(F("pk"),
                                                                                             function="COUNT"))
    track_count = Subquery(items.values("n"), output_field=IntegerField())
    return Playlist.objects.filter(user=user).annotate(track_count=track_count).order_by("-created_at", "-id")


def playlist_get(*, user, playlist_uuid) -> Playlist:
    """One of the user's playlists with its tracks in order; another user's (or a malformed) uuid
    is ``NotFound`` -- never a hint that it exists."""
    try:
        key = playlist_uuid if isinstance(playlist_uuid, uuid.UUID) else uuid.UUID(str(playlist_uuid))
    except ValueError:
        raise NotFound(PLAYLIST_NOT_FOUND) from None
    items = PlaylistTrack.objects.select_related("track").order_by("position")
    playlist = (
        Playlist.objects.filter(user=user, uuid=key).annotate(track_count=Count("items"))
        .prefetch_related(Prefetch("items", queryset=items)).first()
    )
    if playlist is None:
        raise NotFound(PLAYLIST_NOT_FOUND)
    return playlist
