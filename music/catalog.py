"""The catalog file format: reading CSV (plain or gzip), column names, and row validation.

Shared by ``catalog_build`` (shared datasets -> ``music/data/catalog.csv.gz``) and ``catalog_load``
(catalog file -> ``Track`` rows). Rows are plain dicts; a bad row raises :class:`BadRow` with a short
reason that the commands count.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path

from music.models import Track, is_track_id

CATALOG_PATH = Path(__file__).resolve().parent / "data" / "catalog.csv.gz"

# The columns the product uses, in file order (see docs/music.md, "The catalog").
COLUMNS = (
    "id", "name", "artist", "album", "album_id", "release_date", "genres", "subgenre", "popularity", "explicit",
    "duration_ms", "valence", "energy", "danceability", "acousticness", "instrumentalness", "loudness", "tempo",
    "speechiness", "liveness", "mode", "key", "duplicate_of",
)
REQUIRED_COLUMNS = ("id", "name", "artist", "valence", "energy")
# The audio features (Spotify's names) the track mood model reads.
AUDIO_FEATURES = ("valence", "energy", "danceability", "acousticness", "instrumentalness", "loudness", "tempo",
                  "speechiness", "liveness", "mode", "key")

# The shared datasets' names for the same columns: TidyTuesday's spotify_songs.csv and the
# 114-genre spotify_tracks_114k/dataset.csv.
SOURCE_ALIASES = {
    "track_id": "id",
    "track_name": "name",
    "track_artist": "artist",
    "artists": "artist",
    "track_album_name": "album",
    "album_name": "album",
    "track_album_id": "album_id",
    "track_album_release_date": "release_date",
    "playlist_genre": "genre",
    "track_genre": "genre",
    "playlist_subgenre": "subgenre",
    "track_popularity": "popularity",
}
# spotify_songs' playlist genres named as the 114-genre set names them (one genre vocabulary).
GENRE_ALIASES = {"r&b": "r-n-b", "rap": "hip-hop"}

# R's NA and friends: the shared dataset writes missing text as "NA".
MISSING = frozenset({"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"})
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_MAX_LENGTH = {name: Track._meta.get_field(name).max_length for name in
               ("name", "artist", "album", "genre", "genres", "subgenre")}
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


class BadRow(ValueError):
    """A row that cannot become a Track; ``reason`` is short and countable."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CatalogFormatError(ValueError):
    """The file itself is unusable (missing, unreadable, or without the needed columns)."""


def open_text(path: Path | str) -> io.TextIOBase:
    """Opens a CSV file for reading, gzip-compressed or not (decided by content, not by name)."""
    path = Path(path)
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
    except OSError as exc:
        raise CatalogFormatError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def read_rows(path: Path | str) -> Iterator[dict]:
    """Yields raw rows keyed by our column names (the shared dataset's names are mapped)."""
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        try:
            header = [SOURCE_ALIASES.get(name, name) for name in (reader.fieldnames or [])]
            missing = [name for name in REQUIRED_COLUMNS if name not in header]
            if missing:
                raise CatalogFormatError(f"{path} lacks the column(s): {', '.join(missing)}")
            reader.fieldnames = header
            yield from reader
        except (csv.Error, UnicodeDecodeError, EOFError, OSError) as exc:
            raise CatalogFormatError(f"{path} is corrupt near line {reader.line_num}: {exc}") from exc


def _text(row: dict, name: str, *, required: bool = False, limit: int | None = -1) -> str:
    value = (row.get(name) or "").strip()
    if value in MISSING:
        if required:
            raise BadRow(f"missing {name}")
        return ""
    limit = _MAX_LENGTH.get(name) if limit == -1 else limit
    if limit and len(value) > limit:
        raise BadRow(f"{name} too long")
    return value


def _number(row: dict, name: str, *, low=None, high=None, required=False, integer=False, missing_if_zero=False):
    raw = (row.get(name) or "").strip()
    if raw in MISSING or (missing_if_zero and raw in {"0", "0.0"}):
        if required:
            raise BadRow(f"missing {name}")
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRow(f"non-numeric {name}") from None
    if not math.isfinite(value):
        raise BadRow(f"non-numeric {name}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise BadRow(f"{name} out of range")
    if integer:
        if value != int(value):
            raise BadRow(f"non-integer {name}")
        return int(value)
    return value


def _artist(row: dict) -> str:
    """The credited artists, joined with ", " (the 114-genre set separates them with ";"); as many
    as fit the column when the list is very long."""
    names = [name.strip() for name in _text(row, "artist", required=True, limit=None).split(";") if name.strip()]
    if not names:
        raise BadRow("missing artist")
    kept = names[:1]
    for name in names[1:]:
        if len(", ".join([*kept, name])) > _MAX_LENGTH["artist"]:
            break
        kept.append(name)
    if len(kept[0]) > _MAX_LENGTH["artist"]:
        raise BadRow("artist too long")
    return ", ".join(kept)


def _genres(row: dict) -> list[str]:
    """Every genre a row names: ``genres`` (comma-separated, our file) or ``genre`` (the sources)."""
    raw = _text(row, "genres", limit=None) or _text(row, "genre", limit=None)
    genres = []
    for genre in raw.split(","):
        genre = GENRE_ALIASES.get(genre.strip().lower(), genre.strip().lower())
        if genre and genre not in genres:
            genres.append(genre)
    return genres


def _flag(row: dict, name: str):
    raw = (row.get(name) or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    if raw and raw not in {value.lower() for value in MISSING}:
        raise BadRow(f"non-boolean {name}")
    return None


def clean_row(row: dict) -> dict:
    """Validates one raw row and returns the Track fields (``in_catalog`` and the mood
    probabilities excluded) plus ``genres`` as a list; raises BadRow."""
    track_id = (row.get("id") or "").strip()
    if not track_id:
        raise BadRow("missing id")
    if not is_track_id(track_id):
        raise BadRow("malformed id")
    release_date = _text(row, "release_date")
    if release_date and not _DATE_RE.match(release_date):
        release_date = ""  # not a feature: keep the track, drop the unparsable date
    album_id = _text(row, "album_id")
    duplicate_of = _text(row, "duplicate_of")
    genres = _genres(row)
    if len(",".join(genres)) > _MAX_LENGTH["genres"]:
        raise BadRow("genres too long")
    key = _number(row, "key", low=-1, high=11, integer=True)
    return {
        "id": track_id,
        "name": _text(row, "name", required=True),
        "artist": _artist(row),
        "album": _text(row, "album"),
        "album_id": album_id if is_track_id(album_id) else "",
        "release_date": release_date,
        "release_year": int(release_date[:4]) if release_date else None,
        "genre": genres[0] if genres else "",
        "genres": genres,
        "subgenre": _text(row, "subgenre"),
        "popularity": _number(row, "popularity", low=0, high=100, integer=True),
        "explicit": _flag(row, "explicit"),
        "duration_ms": _number(row, "duration_ms", low=1, high=2**31 - 1, integer=True, missing_if_zero=True),
        "valence": _number(row, "valence", low=0, high=1, required=True),
        "energy": _number(row, "energy", low=0, high=1, required=True),
        "danceability": _number(row, "danceability", low=0, high=1),
        "acousticness": _number(row, "acousticness", low=0, high=1),
        "instrumentalness": _number(row, "instrumentalness", low=0, high=1),
        "loudness": _number(row, "loudness", low=-60, high=10),
        "tempo": _number(row, "tempo", low=0, high=1000),
        "speechiness": _number(row, "speechiness", low=0, high=1),
        "liveness": _number(row, "liveness", low=0, high=1),
        "mode": _number(row, "mode", low=0, high=1, integer=True),
        "key": None if key == -1 else key,  # Spotify's -1: no key detected
        "duplicate_of": duplicate_of if is_track_id(duplicate_of) and duplicate_of != track_id else "",
    }


def format_row(fields: dict) -> list[str]:
    """The catalog file's cells for cleaned fields (numbers in their shortest exact form)."""
    cells = []
    for name in COLUMNS:
        value = fields.get(name)
        if name == "genres":
            value = ",".join(value or ())
        elif isinstance(value, bool):
            value = "true" if value else "false"
        cells.append("" if value is None else repr(value) if isinstance(value, float) else str(value))
    return cells
