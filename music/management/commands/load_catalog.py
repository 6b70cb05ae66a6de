"""Loads the shipped catalog into the database (idempotent; `make run` calls it via setup_app)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from music import catalog
from music.services import catalog_load


class Command(BaseCommand):
    help = ("Upsert the music catalog (music/data/catalog.csv.gz, or --file) into Track: bad rows are "
            "skipped and counted, unchanged rows are not rewritten, covers already fetched are kept.")

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=catalog.CATALOG_PATH,
                            help="catalog CSV, plain or gzip (our columns or the shared dataset's)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, no_progress, **options):
        started = time.perf_counter()
        try:
            result = catalog_load(path=file, progress=not no_progress and options.get("verbosity", 1) > 0)
        except catalog.CatalogFormatError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"catalog {file.name}: inserted {result.inserted}, updated {result.updated}, "
            f"unchanged {result.unchanged}, skipped {result.skipped}, duplicates {result.duplicates} "
            f"({result.total} tracks in {seconds:.1f} s)"
        )
        if result.reasons:
            detail = ", ".join(f"{reason}: {count}" for reason, count in result.reasons.most_common())
            self.stdout.write(f"skipped rows: {detail}")
