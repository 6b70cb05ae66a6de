"""What one page of each list endpoint costs as a user's history grows, in this process.

    python manage.py bench_lists                     # users with 10, 1,000 and 10,000 entries
    python manage.py bench_lists --sizes 10,100 --runs 10 --json

Seeds one user per size on the configured database (``bench-lists-<size>``: that many history
entries with 10 tracks each, a tenth as many playlists of 5 tracks, all removed afterwards unless
``--keep``), refreshes the planner's statistics (PostgreSQL), then calls every list endpoint through
the whole Django stack (middleware, JWT authentication, throttles) with the Django test client and
reports the median time and the number of database queries of one call.
"""

from __future__ import annotations

import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PREFIX = "bench-lists-"


class Command(BaseCommand):
    help = "Per-page time and queries of each list endpoint for users with 10, 1,000 and 10,000 history entries."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="10,1000,10000", help="history sizes, comma-separated")
        parser.add_argument("--runs", type=int, default=15, help="timed calls per endpoint and size (default 15)")
        parser.add_argument("--keep", action="store_true", help="keep the seeded users (default: remove them)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")

    def handle(self, *args, **opts):
        try:
            sizes = [int(size) for size in opts["sizes"].split(",")]
        except ValueError:
            raise CommandError("--sizes: whole numbers separated by commas") from None
        if not sizes or min(sizes) < 1 or opts["runs"] < 1:
            raise CommandError("--sizes and --runs must be at least 1")
        self._remove()
        try:
            users = self._seed(sizes)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            results = {size: self._measure(user, opts["runs"]) for size, user in users.items()}
        finally:
            if not opts["keep"]:
                self._remove()
        report = {"database": connection.vendor, "runs": opts["runs"], "sizes": sizes,
                  "endpoints": {name: {str(size): results[size][name] for size in sizes}
                                for name in next(iter(results.values()))}}
        if opts["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        out = self.stdout.write
        out(f"{connection.vendor}, median of {opts['runs']} calls: ms per call (database queries)")
        out(f"{'endpoint':<34}" + "".join(f"{f'{size:,} entries':>20}" for size in sizes))
        for name, row in report["endpoints"].items():
            cells = [f"{row[str(size)]['ms']:.2f} ({row[str(size)]['queries']})" for size in sizes]
            out(f"{name:<34}" + "".join(f"{cell:>20}" for cell in cells))

    # --- seeding ---------------------------------------------------------------------------------
    def _seed(self, sizes: list[int]) -> dict:
        from vexora.benchdata import bench_user_seed

        return {size: bench_user_seed(username=f"{PREFIX}{size}", entries=size, playlists=max(1, size // 10))
                for size in sizes}

    def _remove(self) -> None:
        from vexora.benchdata import bench_users_remove

        bench_users_remove(username_prefix=PREFIX)

    # --- measuring -------------------------------------------------------------------------------
    def _measure(self, user, runs: int) -> dict:
        from accounts.services import token_pair_issue
        from history.models import HistoryEntry
        from music.models import Playlist

        token = token_pair_issue(user=user)["access_token"]
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
        entries = HistoryEntry.objects.filter(user=user)
        latest = entries.order_by("-created_at", "-id").first()
        last_page = min(50, max(1, -(-entries.count() // 20)))
        playlist = Playlist.objects.filter(user=user).order_by("-created_at", "-id").first()
        month = timezone.localdate().strftime("%Y-%m")
        calls = {
            "GET history": "/api/v1/history",
            f"GET history?page={last_page} (<= 50)": f"/api/v1/history?page={last_page}",
            "GET history?mood=happy": "/api/v1/history?mood=happy",
            "GET history?month=(this month)": f"/api/v1/history?month={month}",
            "GET history/{uuid}": f"/api/v1/history/{latest.uuid}",
            "GET music/{history_uuid}": f"/api/v1/music/{latest.uuid}",
            "GET history/most-mood": "/api/v1/history/most-mood",
            "GET history/stats": "/api/v1/history/stats",
            "GET playlists": "/api/v1/playlists",
            "GET playlists/{uuid}": f"/api/v1/playlists/{playlist.uuid}",
        }
        found = {}
        for name, path in calls.items():
            client.get(path)  # warm-up
            seconds, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(path)
                    seconds.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"{path}: {response.status_code} {response.content[:200]!r}")
                queries = len(captured.captured_queries)
            found[name.replace(f"page={last_page} (<= 50)", "page=last (<= 50)")] = {
                "ms": round(statistics.median(seconds) * 1000, 2), "queries": queries}
        return found
