"""Combine several trained weights files into one ensemble the app can serve.

    python manage.py combine_mood_weights run1/mood_cnn.pt run2/mood_cnn.pt --out ml_weights/mood_cnn.new.pt

The ensemble averages the members' softmax (and, unless --no-flip, that of the mirrored face too).
Measure it with evaluate_mood_model (accuracy) and bench_mood (latency) before shipping it.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ._mood_common import print_json, weights_out_path


class Command(BaseCommand):
    help = "Combine weights files into one ensemble weights file."

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", help="weights files written by train_mood_model")
        parser.add_argument("--out", required=True, help="the ensemble's weights file (.pt)")
        parser.add_argument("--no-flip", action="store_true",
                            help="do not average each face with its mirror image (half the inference cost)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def handle(self, *args, **opts):
        from moods.ml.weights import WeightsError, weights_combine

        out = weights_out_path(opts["out"])
        if any(Path(p).expanduser().resolve() == out.resolve() for p in opts["inputs"]):
            raise CommandError("--out must not be one of the inputs")
        try:
            ensemble = weights_combine(paths=[Path(p).expanduser() for p in opts["inputs"]], out=out,
                                       flip=not opts["no_flip"])
        except WeightsError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"could not write {out}: {exc}") from None
        result = {"out": str(out), "members": len(ensemble.members), "flip": ensemble.flip,
                  "parameters": sum(p.numel() for p in ensemble.parameters())}
        if opts["json"]:
            print_json(self, result)
            return
        self.stdout.write(self.style.SUCCESS(
            f"{result['members']} network(s), {result['parameters']:,} parameters, "
            f"{'with' if result['flip'] else 'without'} flip averaging -> {out}"))
