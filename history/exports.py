"""A person's data, whole, as a zip of JSON and CSV files (GET user/export, the profile page).

history sits above music and accounts in the import graph, so this one module can read them all:
the profile (accounts), the mood history with its tracks, notes, tags and corrections (history),
the playlists and the taste (music). JSON keeps every value exactly; CSV is for spreadsheets (text
cells that a spreadsheet would run as a formula, starting with = + - @, are prefixed with ' there
only).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import zipfile

from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.pictures import LOCAL_PREFIX, profile_picture_url
from accounts.selectors import user_time_zone
from history.models import HistoryEntry, HistoryTrack, Tag
from history.selectors import entry_effective_mood, entry_tags_prefetch
from music.models import GenrePreference, Playlist, PlaylistTrack, Taste, TrackFeedback
from vexora.moods import MOODS

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1
README = """Your Vexora data
=================

Exported {exported_at} (UTC). Times are UTC (ISO 8601); "local_*" columns are in your time zone,
{time_zone}. Vexora never stores your selfies, so there are none here.

profile.json        your account: name, username, email, time zone, reminder settings, picture URL
profile-picture.jpg your picture, when it is stored by this server (else its URL is in profile.json)
history.json        every mood reading: the mood the model read, your corrected mood (when you
                    answered "Not right? I feel..."), the mood that counts (effective_mood),
                    confidence, probabilities, note, tags and the tracks recommended with it, in order
history.csv         the same readings, one row each (tracks in history_tracks.csv)
history_tracks.csv  the tracks of each reading: entry_uuid, position, track
tags.json           your tags and how many readings carry each
taste.json          your taste: explicit songs allowed or not, the genres you like and never want,
                    and the songs you liked or skipped
playlists.json      your playlists with their tracks, in order
playlists.csv       one row per track of each playlist

In the CSV files, a text cell starting with = + - or @ has a ' in front of it so that a spreadsheet
shows it as text instead of running it; the JSON files hold the exact text.
"""


def user_data_export(*, user, now: dt.datetime | None = None, request=None) -> tuple[str, bytes]:
    """(file name, zip bytes) of everything Vexora keeps about ``user`` (the picture's URL is built
    for ``request``'s address, else ``settings.SITE_URL``)."""
    now = now or timezone.now()
    zone = user_time_zone(user=user)
    entries = _entries(user=user, zone=zone)
    playlists = _playlists(user=user)
    files = {
        "README.txt": README.format(exported_at=now.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                                    time_zone=zone.key),
        "profile.json": _json(_profile(user=user, zone=zone, request=request)),
        "history.json": _json(entries),
        "history.csv": _history_csv(entries),
        "history_tracks.csv": _csv(["entry_uuid", "position", "track_id", "name", "artist", "album", "url"],
                                   [[e["uuid"], t["position"], t["id"], t["name"], t["artist"], t["album"], t["url"]]
                                    for e in entries for t in e["tracks"]]),
        "tags.json": _json(_tags(user=user)),
        "taste.json": _json(_taste(user=user)),
        "playlists.json": _json(playlists),
        "playlists.csv": _csv(["playlist_uuid", "playlist_name", "description", "created_at", "position", "track_id",
                               "name", "artist", "album", "url"],
                              [[p["uuid"], p["name"], p["description"], p["created_at"], t["position"], t["id"],
                                t["name"], t["artist"], t["album"], t["url"]]
                               for p in playlists for t in p["tracks"]] +
                              [[p["uuid"], p["name"], p["description"], p["created_at"], "", "", "", "", "", ""]
                               for p in playlists if not p["tracks"]]),
    }
    picture = _local_picture(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
        if picture is not None:
            archive.writestr("profile-picture.jpg", picture)
    return f"vexora-data-{user.username}-{now.astimezone(zone):%Y-%m-%d}.zip", buffer.getvalue()


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def _profile(*, user, zone, request) -> dict:
    return {
        "export_format": EXPORT_FORMAT,
        "uuid": str(user.uuid), "name": user.name, "username": user.username, "email": user.email,
        "email_verified": user.email_verified, "profile_picture": profile_picture_url(user=user, request=request),
        "created_at": _iso(user.created_at), "last_login": _iso(user.last_login), "time_zone": zone.key,
        "time_zone_set": bool(user.time_zone),
        "reminder": {"enabled": user.reminder_enabled,
                     "time": user.reminder_time.strftime("%H:%M") if user.reminder_time else None},
    }


def _track(track, position: int) -> dict:
    return {"position": position, "id": track.id, "name": track.name, "artist": track.artist, "album": track.album,
            "url": track.spotify_url}


def _entries(*, user, zone) -> list[dict]:
    items = HistoryTrack.objects.select_related("track").order_by("position")
    entries = (HistoryEntry.objects.filter(user=user).order_by("created_at", "id")
               .prefetch_related(Prefetch("items", queryset=items), entry_tags_prefetch()))
    rows = []
    for entry in entries.iterator(chunk_size=500):
        local = entry.created_at.astimezone(zone)
        rows.append({"uuid": str(entry.uuid), "created_at": _iso(entry.created_at),
                     "local_date": local.date().isoformat(), "local_time": local.strftime("%H:%M"),
                     "mood": entry.mood, "corrected_mood": entry.corrected_mood,
                     "effective_mood": entry_effective_mood(entry), "confidence": entry.confidence,
                     "probabilities": {mood: entry.probabilities.get(mood) for mood in MOODS},
                     "strategy": entry.strategy, "note": entry.note, "tags": [tag.name for tag in entry.tags.all()],
                     "tracks": [_track(item.track, item.position) for item in entry.items.all()]})
    return rows


def _history_csv(entries: list[dict]) -> str:
    header = ["uuid", "created_at", "local_date", "local_time", "mood", "corrected_mood", "effective_mood",
              "confidence", *(f"p_{mood}" for mood in MOODS), "strategy", "note", "tags", "track_count"]
    rows = [[e["uuid"], e["created_at"], e["local_date"], e["local_time"], e["mood"], e["corrected_mood"] or "",
             e["effective_mood"], e["confidence"], *(e["probabilities"][m] for m in MOODS), e["strategy"],
             e["note"], "; ".join(e["tags"]), len(e["tracks"])] for e in entries]
    return _csv(header, rows)


def _tags(*, user) -> list[dict]:
    return [{"name": tag.name, "created_at": _iso(tag.created_at), "entries": tag.entry_count}
            for tag in Tag.objects.filter(user=user).annotate(entry_count=Count("entry_links")).order_by("name")]


def _taste(*, user) -> dict:
    explicit = Taste.objects.filter(user=user).values_list("explicit", flat=True).first()
    genres = GenrePreference.objects.filter(user=user).order_by("genre")
    ratings = TrackFeedback.objects.filter(user=user).select_related("track").order_by("created_at", "id")
    return {"explicit": True if explicit is None else explicit,
            "liked_genres": [g.genre for g in genres if g.kind == GenrePreference.Kind.LIKE],
            "blocked_genres": [g.genre for g in genres if g.kind == GenrePreference.Kind.BLOCK],
            "track_ratings": [{"rating": r.rating, "rated_at": _iso(r.created_at), "id": r.track.id,
                               "name": r.track.name, "artist": r.track.artist, "url": r.track.spotify_url}
                              for r in ratings]}


def _playlists(*, user) -> list[dict]:
    items = PlaylistTrack.objects.select_related("track").order_by("position")
    playlists = (Playlist.objects.filter(user=user).order_by("created_at", "id")
                 .prefetch_related(Prefetch("items", queryset=items)))
    return [{"uuid": str(p.uuid), "name": p.name, "description": p.description, "created_at": _iso(p.created_at),
             "updated_at": _iso(p.updated_at),
             "tracks": [_track(item.track, item.position) for item in p.items.all()]} for p in playlists]


def _local_picture(*, user) -> bytes | None:
    if not user.file_id.startswith(LOCAL_PREFIX):
        return None
    try:
        with default_storage.open(user.file_id[len(LOCAL_PREFIX):], "rb") as picture:
            return picture.read()
    except OSError:
        logger.warning("the profile picture %s could not be read for an export", user.file_id)
        return None


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return out.getvalue()
