"""Users with a history of a chosen size for the benchmark commands (bench_lists, bench_api):
written with bulk inserts to the configured database, removed by name afterwards."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

BENCH_TRACKS = 30
TRACKS_PER_ENTRY = 10
TRACKS_PER_PLAYLIST = 5
TRACK_PREFIX = "benchtrack"


def bench_track_id(number: int) -> str:
    return f"{TRACK_PREFIX}{number:012d}"  # 22 characters, like a Spotify id


@transaction.atomic
def bench_user_seed(*, username: str, entries: int, playlists: int, password: str | None = None):
    """A verified user ``username`` (replaced if it exists) with ``entries`` history entries of 10
    tracks each, one every 7 minutes back from now (moods in turn), and ``playlists`` playlists of
    5 tracks; the tracks are bench tracks of their own."""
    from django.contrib.auth import get_user_model

    from history.models import HistoryEntry, HistoryTrack
    from music.models import Playlist, PlaylistTrack, Track
    from vexora.moods import MOODS

    get_user_model().objects.filter(username=username).delete()
    Track.objects.bulk_create([Track(id=bench_track_id(n), name=f"Bench song {n}", artist=f"Bench artist {n}")
                               for n in range(BENCH_TRACKS)], ignore_conflicts=True)
    user = get_user_model()(username=username, email=f"{username}@example.com", name="Bench", email_verified=True)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    now = timezone.now()
    made = HistoryEntry.objects.bulk_create(
        [HistoryEntry(user=user, mood=MOODS[i % len(MOODS)], confidence=0.7, strategy="match", track_count=TRACKS_PER_ENTRY,
                      probabilities={mood: 0.1 for mood in MOODS} | {MOODS[i % len(MOODS)]: 0.7},
                      created_at=now - dt.timedelta(minutes=7 * i)) for i in range(entries)], batch_size=2000)
    if connection.vendor != "postgresql":  # bulk_create returns primary keys on PostgreSQL only
        made = list(HistoryEntry.objects.filter(user=user).order_by("id"))
    HistoryTrack.objects.bulk_create(
        [HistoryTrack(entry=entry, track_id=bench_track_id((i + k) % BENCH_TRACKS), position=k)
         for i, entry in enumerate(made) for k in range(TRACKS_PER_ENTRY)], batch_size=5000)
    lists = Playlist.objects.bulk_create([Playlist(user=user, name=f"Bench playlist {i}") for i in range(playlists)],
                                         batch_size=2000)
    if connection.vendor != "postgresql":
        lists = list(Playlist.objects.filter(user=user).order_by("id"))
    PlaylistTrack.objects.bulk_create(
        [PlaylistTrack(playlist=playlist, track_id=bench_track_id((i + k) % BENCH_TRACKS), position=k)
         for i, playlist in enumerate(lists) for k in range(TRACKS_PER_PLAYLIST)], batch_size=5000)
    return user


def bench_users_remove(*, username_prefix: str) -> None:
    """The bench users (and with them their history and playlists), then the bench tracks no
    history refers to any more."""
    from django.contrib.auth import get_user_model

    from history.models import HistoryTrack
    from music.models import PlaylistTrack, Track

    get_user_model().objects.filter(username__startswith=username_prefix).delete()
    used = set(HistoryTrack.objects.filter(track__id__startswith=TRACK_PREFIX).values_list("track_id", flat=True))
    used |= set(PlaylistTrack.objects.filter(track__id__startswith=TRACK_PREFIX).values_list("track_id", flat=True))
    Track.objects.filter(id__startswith=TRACK_PREFIX).exclude(id__in=used).delete()
