"""Reads: tracks (catalog, Spotify), recommendations, playlists. Plain functions, keyword-only
arguments, raising ``vexora.errors`` domain errors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db.models import Case, Count, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.templatetags.static import static

from music.models import Playlist, PlaylistTrack, Track, is_track_id
from music.providers import spotify
from music.recommender import recommend_tracks, tracks_random  # noqa: F401 (part of the read API)
from vexora.errors import InvalidInput, NotFound

SEARCH_LIMIT = 20
SEARCH_QUERY_MAX = 100
PLACEHOLDER_IMAGE = "img/cover-placeholder.png"

TRACK_NOT_FOUND = "track not found"
PLAYLIST_NOT_FOUND = "playlist not found"


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
    popularity. Spotify-only results are unsaved ``Track`` objects.
    """
    query = " ".join(str(query or "").split())
    if not query:
        raise InvalidInput("search query is required", errors={"search": ["this field is required"]})
    if len(query) > SEARCH_QUERY_MAX:
        raise InvalidInput("search query is too long",
                           errors={"search": [f"at most {SEARCH_QUERY_MAX} characters"]})
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
        Track.objects.filter(condition).annotate(rank=rank)
        .order_by("rank", F("popularity").desc(nulls_last=True), "name", "id")[:limit]
    )


def track_placeholder_thumbnail() -> str:
    """The absolute URL of the local cover placeholder (tracks without a Spotify cover)."""
    url = static(PLACEHOLDER_IMAGE)
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


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
