"""Writes: the catalog (build, load), tracks resolved through Spotify, covers, playlists.
Plain functions, keyword-only arguments, raising ``vexora.errors`` domain errors."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from tqdm import tqdm

from music import catalog, covers
from music.models import Playlist, PlaylistTrack, Track, is_track_id
from music.normalise import song_key
from music.track_moods import predict_mood_matrix
from music.providers import spotify
from music.recommender import catalog_index_invalidate
from music.selectors import TRACK_NOT_FOUND, track_get
from vexora.errors import InvalidInput, NotFound
from vexora.moods import MOODS

# Fields the catalog owns (a reload overwrites them); ``thumbnail`` is kept (covers from Spotify).
CATALOG_FIELDS = (
    "name", "artist", "album", "album_id", "release_date", "release_year", "genre", "genres", "subgenre",
    "popularity", "explicit", "valence", "energy", "danceability", "acousticness", "instrumentalness",
    "speechiness", "liveness", "loudness", "tempo", "mode", "key", "duration_ms", "duplicate_of",
    *(f"mood_{mood}" for mood in MOODS), "in_catalog",
)
MOOD_DECIMALS = 4  # stored probabilities are rounded (so that a reload compares equal)
LOAD_BATCH = 500
PLAYLIST_MAX_TRACKS = 500
COVER_LOOKUPS_AT_ONCE = 8  # concurrent single-track look-ups for covers
# One pool for the process, kept: its threads (started on first use, so after a fork) outlive a
# request, and each keeps its Spotify client and that client's open HTTPS connection for the next
# look-ups (a pool per request paid a new connection per look-up, and a thread start even for
# cache hits).
_cover_pool = ThreadPoolExecutor(max_workers=COVER_LOOKUPS_AT_ONCE, thread_name_prefix="spotify-cover")
NAME_TAKEN = gettext_lazy("a playlist with this name already exists")
ALREADY_IN_PLAYLIST = gettext_lazy("track already in playlist")
NOT_IN_PLAYLIST = gettext_lazy("track not in playlist")


def _playlist_full() -> str:
    return gettext("a playlist holds at most %(count)s tracks") % {"count": PLAYLIST_MAX_TRACKS}


# --- Catalog ---------------------------------------------------------------------------------
@dataclass
class CatalogBuildResult:
    rows: int = 0
    written: int = 0
    duplicates: int = 0        # repeated rows of one track id (merged, every genre kept)
    skipped: int = 0
    reasons: Counter = field(default_factory=Counter)
    multi_genre: int = 0       # tracks listed under more than one genre
    songs: int = 0             # distinct songs (one shown id each)
    folded: int = 0            # ids folded into another id of the same song (duplicate_of set)
    per_source: dict = field(default_factory=dict)  # source file name -> valid rows read


def catalog_build(*, sources: Iterable[Path | str],
                  destination: Path | str = catalog.CATALOG_PATH) -> CatalogBuildResult:
    """The shared datasets' CSVs -> the shipped catalog (gzip with a fixed timestamp: reproducible).

    - Valid rows only; one row per track id. A repeated id (the same track in several playlists,
      genres or datasets) keeps every genre it is listed under, the highest popularity, and any
      field a later row fills that the first left empty (release dates come from spotify_songs,
      the explicit flag from the 114-genre set).
    - One song under several ids (remasters, compilations, "- 2011 Mix"; ``music.normalise.song_key``)
      keeps every id, but all but one name that one in ``duplicate_of``: the most popular, then
      the one with a release date, then the smallest id. The shown id carries the genres of all.
    """
    result = CatalogBuildResult()
    kept: dict[str, dict] = {}
    for source in sources:
        read = 0
        for raw in catalog.read_rows(source):
            result.rows += 1
            try:
                row = catalog.clean_row(raw)
            except catalog.BadRow as bad:
                result.skipped += 1
                result.reasons[bad.reason] += 1
                continue
            read += 1
            previous = kept.get(row["id"])
            if previous is None:
                kept[row["id"]] = row
                continue
            result.duplicates += 1
            _merge_rows(previous, row)
        result.per_source[Path(source).name] = read
    songs: dict[tuple, list[dict]] = {}
    for row in kept.values():
        row["duplicate_of"] = ""
        songs.setdefault(song_key(row["artist"], row["name"]), []).append(row)
    for versions in songs.values():
        if len(versions) == 1:
            continue
        versions.sort(key=lambda row: (-(row["popularity"] or 0), not row["release_date"], row["id"]))
        shown = versions[0]
        for other in versions[1:]:
            other["duplicate_of"] = shown["id"]
            shown["genres"] += [genre for genre in other["genres"] if genre not in shown["genres"]]
            result.folded += 1
    result.songs = len(songs)
    result.multi_genre = sum(1 for row in kept.values() if len(row["genres"]) > 1 and not row["duplicate_of"])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(catalog.COLUMNS)
    for row in kept.values():
        writer.writerow(catalog.format_row(row))
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with destination.open("wb") as raw_out, gzip.GzipFile(filename="", mode="wb", fileobj=raw_out,
                                                             compresslevel=9, mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    result.written = len(kept)
    return result


def _merge_rows(first: dict, later: dict) -> None:
    """A later row of the same track id completes the first: genres added, popularity the highest,
    empty fields filled."""
    first["genres"] += [genre for genre in later["genres"] if genre not in first["genres"]]
    first["genre"] = first["genres"][0] if first["genres"] else ""
    for name, value in later.items():
        if name == "popularity":
            first[name] = max((v for v in (first[name], value) if v is not None), default=None)
        elif first.get(name) in (None, "") and value not in (None, ""):
            first[name] = value


@dataclass
class CatalogLoadResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    reasons: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def catalog_load(*, path: Path | str = catalog.CATALOG_PATH, progress: bool = False) -> CatalogLoadResult:
    """Upserts the catalog file into ``Track`` (idempotent). Bad rows (missing id/name/artist,
    malformed id, non-numeric or out-of-range features) are skipped and counted; a repeated id
    keeps its first row. Each track's mood probabilities come from the shipped track mood model
    (``music.track_moods``). Only new or changed rows are written (a second run writes nothing);
    covers fetched from Spotify are kept. Raises ``catalog.CatalogFormatError`` for an unusable
    file (missing, not CSV, lacking the required columns)."""
    result = CatalogLoadResult()
    rows: dict[str, dict] = {}
    bar_off = None if progress else True  # None: tqdm shows the bar only on a terminal
    for raw in tqdm(catalog.read_rows(path), desc="reading", unit=" rows", disable=bar_off, leave=False):
        try:
            row = catalog.clean_row(raw)
        except catalog.BadRow as bad:
            result.skipped += 1
            result.reasons[bad.reason] += 1
            continue
        if row["id"] in rows:
            result.duplicates += 1
            continue
        row["in_catalog"] = True
        row["genres"] = ",".join(row["genres"])
        rows[row["id"]] = row
    for row in rows.values():
        if row["duplicate_of"] and row["duplicate_of"] not in rows:
            row["duplicate_of"] = ""  # the song's shown id is not in this file: show this one
    probabilities = predict_mood_matrix(rows.values()).round(MOOD_DECIMALS) if rows else ()
    for row, values in zip(rows.values(), probabilities):
        row.update({f"mood_{mood}": float(value) for mood, value in zip(MOODS, values)})

    existing = {
        values[0]: values[1:]
        for values in Track.objects.order_by().values_list("id", *CATALOG_FIELDS).iterator(chunk_size=5000)
    }
    changed = []
    for track_id, row in rows.items():
        stored = existing.get(track_id)
        if stored is None:
            result.inserted += 1
        elif stored != tuple(row[name] for name in CATALOG_FIELDS):
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        changed.append(Track(**row))

    if changed:
        with transaction.atomic(), tqdm(total=len(changed), desc="writing", unit=" tracks",
                                        disable=bar_off, leave=False) as bar:
            for start in range(0, len(changed), LOAD_BATCH):
                batch = changed[start:start + LOAD_BATCH]
                Track.objects.bulk_create(batch, update_conflicts=True, unique_fields=["id"],
                                          update_fields=list(CATALOG_FIELDS))
                bar.update(len(batch))
        catalog_index_invalidate()
    return result


# --- Tracks ----------------------------------------------------------------------------------
def track_resolve(*, track_id: str) -> Track:
    """A stored ``Track`` for the id: the catalog's row, or -- when Spotify is configured and
    knows the id -- a new row from Spotify's data (no audio features). Else ``NotFound``."""
    track = track_get(track_id=track_id)
    if not track._state.adding:  # a stored row
        return track
    if track.id != track_id:  # Spotify answered with another track (a relinked id)
        raise NotFound(TRACK_NOT_FOUND)
    fields = {field.attname: getattr(track, field.attname) for field in Track._meta.concrete_fields
              if not field.primary_key}
    track, _ = Track.objects.get_or_create(id=track_id, defaults=fields)
    return track


def tracks_attach_covers(*, tracks: list[Track], wait: bool = False) -> list[Track]:
    """Covers for tracks shown without one.

    By default nothing waits: the saved tracks without a cover are queued for the background
    (``music.covers.covers_fill_later``: Spotify's Web API when configured, else its oEmbed
    endpoint), and are shown meanwhile with their generated artwork. Pages and mood detection use
    this.

    ``wait=True`` (the API's random playlist and track look-up) looks covers up now, through
    Spotify's Web API only (a no-op without credentials): the first look-up runs alone (it
    fetches the app token and probes Spotify, so an outage costs one timeout and no more look-ups),
    the rest ``COVER_LOOKUPS_AT_ONCE`` at a time, so ten uncovered tracks wait about two round
    trips. A cover found is stored on the track; a track whose look-up fails keeps an empty
    ``thumbnail`` (its generated artwork) and is queued for the background."""
    if wait and spotify.is_configured():
        _covers_look_up_now(tracks)
    covers.covers_fill_later(track_ids=[track.id for track in tracks
                                        if not track.thumbnail and not track._state.adding])
    return tracks


def _covers_look_up_now(tracks: list[Track]) -> None:
    ids = list(dict.fromkeys(track.id for track in tracks if not track.thumbnail))
    if not ids:
        return
    look_up = lambda track_id: spotify.get_track(track_id=track_id)  # noqa: E731
    remotes = {ids[0]: look_up(ids[0])}
    if len(ids) > 1 and spotify.is_available():
        remotes.update(zip(ids[1:], _cover_pool.map(look_up, ids[1:])))
    for track in tracks:
        remote = remotes.get(track.id)
        thumbnail = covers.cover_url_clean(remote.thumbnail) if remote is not None and not track.thumbnail else ""
        if not thumbnail:
            continue
        track.thumbnail = thumbnail
        if not track._state.adding:
            Track.objects.filter(pk=track.pk, thumbnail="").update(thumbnail=thumbnail)


# --- Playlists -------------------------------------------------------------------------------
def _clean_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise InvalidInput(gettext("playlist name is required"), errors={"name": [gettext("this field is required")]})
    if len(name) > Playlist.NAME_MAX_LENGTH:
        message = f"playlist name is too long ({Playlist.NAME_MAX_LENGTH} characters at most)"
        raise InvalidInput(message, errors={"name": [f"at most {Playlist.NAME_MAX_LENGTH} characters"]})
    return name


def _clean_description(description) -> str:
    description = str(description or "").strip()
    if len(description) > Playlist.DESCRIPTION_MAX_LENGTH:
        message = f"playlist description is too long ({Playlist.DESCRIPTION_MAX_LENGTH} characters at most)"
        raise InvalidInput(message, errors={"description": [f"at most {Playlist.DESCRIPTION_MAX_LENGTH} characters"]})
    return description


def _name_taken(*, user, name: str, exclude_pk=None) -> bool:
    others = Playlist.objects.filter(user=user, name__iexact=name)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def _taken_error() -> InvalidInput:
    return InvalidInput(NAME_TAKEN, errors={"name": [NAME_TAKEN]})


def playlist_create(*, user, name: str, description: str = "", track_ids: Iterable[str] = ()) -> Playlist:
    """A new playlist for ``user``, optionally filled with ``track_ids`` in order (repeats are
    dropped; each id must be a catalog track or one Spotify resolves, else ``NotFound`` and
    nothing is created). Used by the API and to save a recommendation as a playlist."""
    name = _clean_name(name)
    description = _clean_description(description)
    if isinstance(track_ids, str):
        raise InvalidInput("track_ids must be a list of track ids", errors={"track_ids": ["expected a list"]})
    ids = list(dict.fromkeys(track_ids or ()))
    if len(ids) > PLAYLIST_MAX_TRACKS:
        raise InvalidInput(_playlist_full(), errors={"track_ids": [gettext("at most %(count)s tracks") % {"count": PLAYLIST_MAX_TRACKS}]})
    if _name_taken(user=user, name=name):
        raise _taken_error()
    tracks = _resolve_all(ids)
    try:
        with transaction.atomic():
            playlist = Playlist.objects.create(user=user, name=name, description=description)
            PlaylistTrack.objects.bulk_create(
                [PlaylistTrack(playlist=playlist, track=track, position=i) for i, track in enumerate(tracks)]
            )
    except IntegrityError:  # the same name created concurrently
        raise _taken_error() from None
    return playlist


def _resolve_all(ids: list) -> list[Track]:
    if any(not isinstance(track_id, str) for track_id in ids):
        raise InvalidInput("track_ids must be a list of track ids", errors={"track_ids": ["expected strings"]})
    stored = Track.objects.in_bulk([track_id for track_id in ids if is_track_id(track_id)])
    return [stored.get(track_id) or track_resolve(track_id=track_id) for track_id in ids]


def playlist_update(*, playlist: Playlist, name: str | None = None, description: str | None = None) -> Playlist:
    """Renames and/or re-describes a playlist (``None`` leaves a field as it is)."""
    fields = []
    if name is not None:
        playlist.name = _clean_name(name)
        if _name_taken(user=playlist.user_id, name=playlist.name, exclude_pk=playlist.pk):
            raise _taken_error()
        fields.append("name")
    if description is not None:
        playlist.description = _clean_description(description)
        fields.append("description")
    if fields:
        try:
            with transaction.atomic():
                playlist.save(update_fields=[*fields, "updated_at"])
        except IntegrityError:
            raise _taken_error() from None
    return playlist


def playlist_delete(*, playlist: Playlist) -> None:
    playlist.delete()


def playlist_add_track(*, playlist: Playlist, track_id: str) -> PlaylistTrack:
    """Appends a track (catalog, or resolved through Spotify) at the end of the playlist."""
    track = track_resolve(track_id=track_id)
    tracks_attach_covers(tracks=[track])  # queued for the background when it has none
    try:
        with transaction.atomic():
            locked = Playlist.objects.select_for_update().get(pk=playlist.pk)  # serialises positions
            items = PlaylistTrack.objects.filter(playlist=locked)
            if items.filter(track=track).exists():
                raise InvalidInput(ALREADY_IN_PLAYLIST, errors={"track_id": [ALREADY_IN_PLAYLIST]})
            last = items.aggregate(last=Max("position"))["last"]
            position = 0 if last is None else last + 1  # positions are kept 0..n-1
            if position >= PLAYLIST_MAX_TRACKS:
                raise InvalidInput(_playlist_full())
            item = PlaylistTrack.objects.create(playlist=locked, track=track, position=position)
            _touch(locked)
    except IntegrityError:  # a concurrent add of the same track, or at the same position
        if PlaylistTrack.objects.filter(playlist=playlist, track=track).exists():
            raise InvalidInput(ALREADY_IN_PLAYLIST, errors={"track_id": [ALREADY_IN_PLAYLIST]}) from None
        raise InvalidInput(gettext("the playlist changed meanwhile, please try again")) from None
    return item


def playlist_remove_track(*, playlist: Playlist, track_id: str) -> None:
    """Removes a track; the tracks after it move up (positions stay 0..n-1)."""
    with transaction.atomic():
        locked = Playlist.objects.select_for_update().get(pk=playlist.pk)
        item = PlaylistTrack.objects.filter(playlist=locked, track_id=track_id).first() \
            if isinstance(track_id, str) else None
        if item is None:
            raise NotFound(NOT_IN_PLAYLIST)
        item.delete()
        # One by one, lowest first: each move fills the slot just freed (unique positions hold).
        for later in PlaylistTrack.objects.filter(playlist=locked, position__gt=item.position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position"])
        _touch(locked)


def _touch(playlist: Playlist) -> None:
    Playlist.objects.filter(pk=playlist.pk).update(updated_at=timezone.now())
