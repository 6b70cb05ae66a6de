"""Fit the temperature that makes the served confidence mean what it says, and keep it beside the weights.

    python manage.py calibrate_mood_model --data /work/shared/datasets/fer2013/val --labels ferplus
    python manage.py calibrate_mood_model --data DIR --weights ml_weights/mood_cnn.new.pt --dry-run --json

The faces are read exactly as served (flip averaging, precision), without any calibration; the
temperature T minimising the negative log-likelihood of ``p ** (1/T)`` is written to
<weights stem>.calibration.json (the detector applies it; the predicted moods do not change).
Because T is fitted on the very faces its ECE is then measured on, the command also splits the
faces into two random halves (--seed), fits T on one and measures the ECE on the other, both ways.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ._mood_common import existing_folder, labelled_faces, load_detector, percent, print_json

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def _below(probs, labels, threshold: float) -> dict:
    """The faces read with a confidence below ``threshold``: their share and how often they were right."""
    import numpy as np

    confidence = probs.max(axis=1)
    below = confidence < threshold
    right = probs.argmax(axis=1) == labels
    return {"threshold": threshold, "share": float(below.mean()),
            "accuracy_below": float(right[below].mean()) if below.any() else None,
            "accuracy_above": float(right[~below].mean()) if (~below).any() else None,
            "accuracy_just_below": (float(right[below & (confidence >= threshold - 0.05)].mean())
                                    if np.any(below & (confidence >= threshold - 0.05)) else None)}


class Command(BaseCommand):
    help = "Fit the temperature of the served probabilities on labelled faces and write it beside the weights."

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="ImageFolder of face crops (or a FER2013 folder)")
        parser.add_argument("--labels", choices=("folder", "ferplus", "fer2013"), default="ferplus",
                            help="ferplus: FER+ relabels (default); folder/fer2013: sub-folder names")
        parser.add_argument("--weights", help=f"weights file (default {settings.MOOD_WEIGHTS_PATH})")
        parser.add_argument("--seed", type=int, default=0, help="the random split of the held-out check (default 0)")
        parser.add_argument("--dry-run", action="store_true", help="measure and report, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")

    def handle(self, *args, **opts):
        import numpy as np

        from moods.ml.calibration import (
            ECE_BINS,
            calibration_save,
            expected_calibration_error,
            negative_log_likelihood,
            reliability_table,
            temperature_apply,
            temperature_fit,
        )
        from moods.ml.preprocess import arrays_to_batch

        data = existing_folder(opts["data"])
        detector = load_detector(opts["weights"], face_detector=False, temperature=1.0)
        dataset = labelled_faces(self, folder=data, labels=opts["labels"])
        labels = np.asarray(dataset.labels)
        if len(labels) < 2:
            raise CommandError("--data: calibrating needs at least 2 labelled faces")
        probs = np.concatenate([detector.classify_batch(arrays_to_batch(dataset.images[start : start + 256]))
                                for start in range(0, len(labels), 256)])

        temperature = temperature_fit(probs, labels)
        calibrated = temperature_apply(probs, temperature)
        order = np.random.default_rng(opts["seed"]).permutation(len(labels))
        halves = (order[: len(order) // 2], order[len(order) // 2 :])

        def figures(p, y) -> dict:
            return {"ece": expected_calibration_error(p, y), "nll": negative_log_likelihood(p, y)}

        def held_out(fit, check) -> dict:
            fitted = temperature_fit(probs[fit], labels[fit])
            return {"fit_faces": int(len(fit)), "check_faces": int(len(check)), "temperature": fitted,
                    "before": figures(probs[check], labels[check]),
                    "after": figures(temperature_apply(probs[check], fitted), labels[check])}

        folds = [held_out(halves[0], halves[1]), held_out(halves[1], halves[0])]

        report = {
            "data": "/".join(data.resolve().parts[-2:]),
            "labels": opts["labels"],
            "faces": int(len(labels)),
            "inference": "bfloat16" if detector.classifier.bf16 else "float32",
            "flip_averaging": bool(detector.classifier.model.flip),
            "ece_bins": ECE_BINS,
            "accuracy": float(np.mean(probs.argmax(axis=1) == labels)),
            "changed_faces": int(np.sum(calibrated.argmax(axis=1) != probs.argmax(axis=1))),
            "before": figures(probs, labels),
            "after": figures(calibrated, labels),
            "held_out": {
                "seed": opts["seed"], "folds": folds,
                "ece_before": float(np.mean([fold["before"]["ece"] for fold in folds])),
                "ece_after": float(np.mean([fold["after"]["ece"] for fold in folds])),
            },
            "reliability": reliability_table(calibrated, labels),
            "thresholds": [_below(calibrated, labels, t) for t in THRESHOLDS],
        }
        written = None
        if not opts["dry_run"]:
            try:
                written = calibration_save(weights_path=detector.weights_path, temperature=temperature, report=report)
            except OSError as exc:
                raise CommandError(f"could not write the calibration: {exc}") from None
        if opts["json"]:
            print_json(self, {"temperature": temperature, "weights": str(detector.weights_path),
                              "written": str(written) if written else None, **report})
            return
        self._print_report(temperature, report, written)

    def _print_report(self, temperature: float, report: dict, written) -> None:
        out = self.stdout.write
        held = report["held_out"]
        out(f"{report['faces']} faces ({report['labels']} labels, {report['inference']}, "
            f"{'with' if report['flip_averaging'] else 'without'} flip averaging), accuracy "
            f"{percent(report['accuracy'])}; faces read as another mood after calibrating: {report['changed_faces']}")
        out(f"temperature {temperature:.4f}: ECE ({report['ece_bins']} bins) {percent(report['before']['ece'])} -> "
            f"{percent(report['after']['ece'])}, NLL {report['before']['nll']:.4f} -> {report['after']['nll']:.4f}")
        for fold in held["folds"]:
            out(f"held out: T {fold['temperature']:.4f} fitted on {fold['fit_faces']} faces (seed {held['seed']}), "
                f"ECE on the other {fold['check_faces']}: {percent(fold['before']['ece'])} -> "
                f"{percent(fold['after']['ece'])}")
        out(f"held out, mean of the two halves: ECE {percent(held['ece_before'])} -> {percent(held['ece_after'])}")
        out("")
        out(f"{'confidence':<14}{'faces':>7}{'mean conf':>11}{'hit rate':>10}")
        for row in report["reliability"]:
            out(f"{row['low']:.2f}-{row['high']:.2f}{'':<5}{row['count']:>7}{percent(row['confidence']):>11}"
                f"{percent(row['accuracy']):>10}")
        out("")
        out(f"{'below':<8}{'share':>8}{'hit rate below':>16}{'just below':>12}{'above':>8}")
        for row in report["thresholds"]:
            cells = [percent(row[k]) if row[k] is not None else "-"
                     for k in ("share", "accuracy_below", "accuracy_just_below", "accuracy_above")]
            out(f"{row['threshold']:<8.2f}{cells[0]:>8}{cells[1]:>16}{cells[2]:>12}{cells[3]:>8}")
        out("")
        if written:
            out(self.style.SUCCESS(f"temperature written to {written}"))
        else:
            out("--dry-run: nothing written")
