"""Times recommend_tracks over the loaded catalog: median and p95 per call."""

import json
import os
import platform
import statistics
import time
from collections import deque

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from music.benchmarking import database_version, percentile
from music.models import Track
from music.recommender import MOODS, STRATEGIES, catalog_index, recommend_tracks
from music.taste import ListenerTaste


class Command(BaseCommand):
    help = ("Benchmark the recommender: --calls recommendations cycling through every mood and strategy, "
            "each excluding the previous 50 tracks (like a user's recent history). Prints median/p95.")

    def add_arguments(self, parser):
        parser.add_argument("--calls", type=int, default=100)
        parser.add_argument("--limit", type=int, default=10, help="tracks per recommendation")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--taste", action="store_true",
                            help="with a listener's taste: 3 liked genres and 3 liked artists, 3 blocked genres, "
                                 "explicit songs refused, 200 skipped songs")

    def handle(self, *args, calls, limit, **options):
        if calls < 1:
            raise CommandError("--calls must be at least 1")
        tracks = Track.objects.filter(in_catalog=True).count()
        if not tracks:
            raise CommandError("the catalog is empty: run manage.py load_catalog first")
        started = time.perf_counter()
        catalog_index()  # the one-off load per process, reported apart
        index_ms = (time.perf_counter() - started) * 1000
        combos = [(mood, strategy) for mood in MOODS for strategy in STRATEGIES]
        taste = _bench_taste() if options["taste"] else None
        recent: deque = deque(maxlen=50)
        timings = []
        for call in range(calls):
            mood, strategy = combos[call % len(combos)]
            started = time.perf_counter()
            result = recommend_tracks(mood=mood, strategy=strategy, exclude_ids=tuple(recent), limit=limit,
                                      taste=taste)
            timings.append((time.perf_counter() - started) * 1000)
            recent.extend(track.id for track in result)
        report = {
            "database": connection.vendor,
            "database_version": database_version(),
            "tracks": tracks,
            "calls": calls,
            "limit": limit,
            "taste": bool(taste),
            "median_ms": round(statistics.median(timings), 3),
            "p95_ms": round(percentile(timings, 0.95), 3),
            "mean_ms": round(statistics.fmean(timings), 3),
            "max_ms": round(max(timings), 3),
            "index_load_ms": round(index_ms, 1),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"database: {report['database']} {report['database_version']}, catalog tracks: {tracks}\n"
            f"recommend_tracks x{calls} (limit {limit}, all moods x strategies, 50 recent ids excluded"
            f"{', with a taste' if taste else ''}): "
            f"median {report['median_ms']:.2f} ms, p95 {report['p95_ms']:.2f} ms, "
            f"mean {report['mean_ms']:.2f} ms, max {report['max_ms']:.2f} ms\n"
            f"index load (once per process): {report['index_load_ms']:.0f} ms"
        )


def _bench_taste() -> ListenerTaste:
    sample = list(Track.objects.filter(in_catalog=True, duplicate_of="").order_by("id")
                  .values_list("id", "artist")[:203])
    return ListenerTaste(liked_genres=("jazz", "acoustic", "indie"), blocked_genres=("metal", "edm", "rap"),
                         explicit=False, liked_artists=tuple(artist for _, artist in sample[:3]),
                         skipped_ids=tuple(track_id for track_id, _ in sample[3:]))
