"""Rebuilds music/data/catalog.csv.gz from the shared dataset (see docs/api/music.md, "The catalog")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from music import catalog
from music.services import catalog_build


class Command(BaseCommand):
    help = ("Build the shipped catalog (music/data/catalog.csv.gz) from TidyTuesday's spotify_songs.csv: "
            "valid rows only, one row per track id, the columns the product uses.")

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, required=True,
                            help="TidyTuesday's spotify_songs.csv (plain or gzip), e.g. shared/datasets/spotify_songs/")
        parser.add_argument("--output", type=Path, default=catalog.CATALOG_PATH, help="where to write the catalog")

    def handle(self, *args, source, output, **options):
        try:
            result = catalog_build(source=source, destination=output)
        except catalog.CatalogFormatError as exc:
            raise CommandError(str(exc)) from exc
        reasons = ", ".join(f"{reason}: {count}" for reason, count in result.reasons.most_common()) or "none"
        self.stdout.write(
            f"read {result.rows} rows from {source}: wrote {result.written} tracks to {output} "
            f"({output.stat().st_size // 1024} KiB); {result.duplicates} duplicate rows merged "
            f"({result.genres_differing} tracks listed under more than one genre keep their first row's); "
            f"skipped {result.skipped} bad rows ({reasons})"
        )
