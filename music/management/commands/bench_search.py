"""Times catalog search (``music.selectors.track_search``) over the loaded catalog, per query."""

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from music.benchmarking import database_version, percentile
from music.models import Track
from music.providers import spotify
from music.selectors import track_search

# Selective words, multi-word queries, common words with many matches, a miss, and one- and
# two-letter words (no trigram: a scan even with the PostgreSQL indexes).
DEFAULT_QUERIES = ("love", "serana", "for revenge", "taylor swift", "xyzzy", "queen", "the",
                   "bohemian rhapsody", "beat it", "remix", "a", "da")


def _trigram_indexes() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                       [Track._meta.db_table, "%gin_trgm_ops%"])
        return int(cursor.fetchone()[0])


class Command(BaseCommand):
    help = ("Benchmark catalog search: each query --runs times after one warm-up call; prints the median "
            "and p95 per query and the median of the medians, with the database and its trigram indexes.")

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10, help="timed calls per query (default 10)")
        parser.add_argument("--query", action="append", dest="queries", metavar="TEXT",
                            help="a query to time (repeat for several; default: 12 built-in queries)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, runs, queries, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        queries = [" ".join(q.split()) for q in (queries or DEFAULT_QUERIES)]
        if not all(queries):
            raise CommandError("--query must not be blank")
        tracks = Track.objects.filter(in_catalog=True).count()
        if not tracks:
            raise CommandError("the catalog is empty: run manage.py load_catalog first")
        if spotify.is_configured():
            self.stderr.write("note: Spotify is configured, so timings include its (cached) answers")
        rows = []
        for query in queries:
            found = len(track_search(query=query))  # warm-up (plans, caches)
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                track_search(query=query)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append({"query": query, "results": found, "median_ms": round(statistics.median(timings), 3),
                         "p95_ms": round(percentile(timings, 0.95), 3)})
        report = {
            "database": connection.vendor,
            "database_version": database_version(),
            "trigram_indexes": _trigram_indexes(),
            "tracks": tracks,
            "runs": runs,
            "queries": rows,
            "median_of_medians_ms": round(statistics.median(row["median_ms"] for row in rows), 3),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"database: {report['database']} {report['database_version']}, "
                          f"trigram indexes: {report['trigram_indexes']}, catalog tracks: {tracks}, "
                          f"{runs} runs per query")
        self.stdout.write(f"{'query':<22}{'results':>8}{'median ms':>11}{'p95 ms':>9}")
        for row in rows:
            self.stdout.write(f"{row['query'][:21]:<22}{row['results']:>8}{row['median_ms']:>11.2f}{row['p95_ms']:>9.2f}")
        self.stdout.write(f"median of the medians: {report['median_of_medians_ms']:.2f} ms")
