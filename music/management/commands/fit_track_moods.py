"""Fits the track mood model from people's mood labels (see docs/music.md, "The track mood model")."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from music import catalog
from music.track_moods import MODEL_PATH, TrackMoodModel
from vexora.moods import MOODS


class Command(BaseCommand):
    help = ("Fit the track mood model (music/data/track_moods.json) on the people-labelled songs of "
            "shared/datasets/music_moods joined to the catalog: held-out split by artist, cross-validated "
            "choice of settings, class weights, temperature calibration. Needs scikit-learn "
            "(requirements-dev.txt). Run load_catalog afterwards to store the new probabilities.")

    def add_arguments(self, parser):
        parser.add_argument("--datasets", type=Path, default=Path(settings.BASE_DIR).parent / "shared" / "datasets",
                            help="the shared datasets folder (default: ../shared/datasets)")
        parser.add_argument("--catalog", type=Path, default=catalog.CATALOG_PATH, help="the catalog file to join to")
        parser.add_argument("--output", type=Path, default=MODEL_PATH, help="where to write the model")
        parser.add_argument("--seed", type=int, default=0, help="the split and the trees' seed")

    def handle(self, *args, datasets, catalog, output, seed, **options):
        try:
            from music.track_moods_fit import SOURCES, fit_track_moods, genre_check, labelled_tracks, read_sources
        except ImportError as exc:  # scikit-learn is a development requirement
            raise CommandError(f"fitting needs scikit-learn (pip install -r requirements-dev.txt): {exc}") from exc
        try:
            sources = read_sources(datasets)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"cannot read the mood sources under {datasets}: {exc}") from exc
        labelled = labelled_tracks(sources=sources, catalog_path=catalog)
        write = self.stdout.write
        matched = ", ".join(f"{name} {labelled.matched[name]}/{labelled.read[name]}" for name in SOURCES)
        counts = {mood: sum(row["mood"] == mood for row in labelled.rows) for mood in MOODS}
        write(f"source songs matched to the catalog: {matched}")
        write(f"labelled catalog songs: {len(labelled.rows)} ({', '.join(f'{m} {n}' for m, n in counts.items())}); "
              f"{labelled.disagreeing} dropped (sources disagree)")
        if min(counts.values()) < 10 * 2:
            raise CommandError("too few labelled songs per mood to fit and hold out a test split")
        result = fit_track_moods(rows=labelled.rows, seed=seed)
        write("cross-validation on the training part (5 folds by artist), per setting:")
        for row in result.cv:
            write(f"  {row['setting']}: accuracy {row['accuracy']:.3f}, macro-F1 {row['macro_f1']:.3f}, "
                  f"happy/sad/calm agreement {row['calm_agreement']:.3f} (balanced {row['calm_agreement_balanced']:.3f})")
        write(f"chosen: {result.chosen}; temperature {result.model['temperature']}")
        for name, figures in (("cv, chosen model", result.cv_chosen), ("cv, nearest-target rule", result.cv_old_rule),
                              ("held-out, shipped model", result.held_out),
                              ("held-out, nearest-target rule", result.held_out_old_rule)):
            write(f"{name}: {figures['tracks']} tracks, accuracy {figures['accuracy']:.3f}, "
                  f"macro-F1 {figures['macro_f1']:.3f}, happy/sad/calm agreement {figures['calm_agreement']:.3f} "
                  f"of {figures['calm_tracks']} (balanced {figures['calm_agreement_balanced']:.3f})")
            write("  confusion (rows: people's label, columns: predicted; " + "/".join(MOODS) + "): "
                  + "; ".join(f"{mood} {figures['confusion'][i]}" for i, mood in enumerate(MOODS)))
        check = genre_check(catalog_path=catalog, model=TrackMoodModel.from_dict(result.model))
        if check:
            write("likeliest mood of the catalog's songs in some genres (a look, not labels; "
                  + "/".join(MOODS) + "): model | nearest-target rule")
            for genre, shares in check.items():
                write(f"  {genre} ({shares['songs']} songs): "
                      + " / ".join(f"{shares[mood]:.0%}" for mood in MOODS) + " | "
                      + " / ".join(f"{shares['old'][mood]:.0%}" for mood in MOODS))
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(result.model, separators=(",", ":")) + "\n", encoding="utf-8")
        steps = sum(len(table["thresholds"]) for table in result.model["steps"].values())
        write(f"wrote {output} ({output.stat().st_size // 1024} KiB, {steps} split points over {len(result.model['steps'])} features)")
