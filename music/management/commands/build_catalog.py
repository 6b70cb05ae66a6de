"""Rebuilds music/data/catalog.csv.gz from the shared datasets (see docs/music.md, "The catalog")."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from music import catalog
from music.genres import genre_family
from music.services import catalog_build

DEFAULT_SOURCES = ("spotify_songs/spotify_songs.csv", "spotify_tracks_114k/dataset.csv")


class Command(BaseCommand):
    help = ("Build the shipped catalog (music/data/catalog.csv.gz) from the shared datasets (TidyTuesday's "
            "spotify_songs.csv and the 114-genre spotify_tracks_114k/dataset.csv): valid rows only, one row "
            "per track id with every genre it has, other ids of the same song marked duplicate_of.")

    def add_arguments(self, parser):
        parser.add_argument("--datasets", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "datasets",
                            help="the shared datasets folder (default: ../shared/datasets)")
        parser.add_argument("--source", type=Path, action="append", dest="sources",
                            help="a source CSV (plain or gzip), repeatable; default: "
                                 + " and ".join(DEFAULT_SOURCES) + " under --datasets")
        parser.add_argument("--output", type=Path, default=catalog.CATALOG_PATH, help="where to write the catalog")

    def handle(self, *args, datasets, sources, output, **options):
        sources = sources or [datasets / name for name in DEFAULT_SOURCES]
        try:
            result = catalog_build(sources=sources, destination=output)
        except catalog.CatalogFormatError as exc:
            raise CommandError(str(exc)) from exc
        reasons = ", ".join(f"{reason}: {count}" for reason, count in result.reasons.most_common()) or "none"
        read = ", ".join(f"{name}: {count}" for name, count in result.per_source.items())
        self.stdout.write(
            f"read {result.rows} rows ({read} valid): wrote {result.written} tracks to {output} "
            f"({output.stat().st_size // 1024} KiB); {result.duplicates} repeated rows of a track merged "
            f"({result.multi_genre} songs listed under more than one genre keep them all); "
            f"{result.songs} songs: {result.folded} ids folded into another id of the same song; "
            f"skipped {result.skipped} bad rows ({reasons})"
        )
        if options.get("verbosity", 1) > 1:
            families = Counter()
            for row in catalog.read_rows(output):
                if not row["duplicate_of"]:
                    families.update({genre_family(genre) for genre in row["genres"].split(",") if genre})
            for family, count in families.most_common():
                self.stdout.write(f"  {family}: {count} songs")
