"""Measure the mood model on labelled face crops, exactly as the app serves it.

    python manage.py evaluate_mood_model --data /work/shared/datasets/fer2013/val --labels ferplus
    python manage.py evaluate_mood_model --data my_faces/ --weights ml_weights/mood_cnn.new.pt --json
    python manage.py evaluate_mood_model --data DIR --labels ferplus --weights new.pt --compare ml_weights/mood_cnn.pt

--data is an ImageFolder of face crops (sub-folders named after moods; any subset of angry, happy,
neutral, sad) or, with --labels ferplus, a FER2013 folder relabelled through ferplus_labels.csv.
Besides accuracy and F1 it reports the expected calibration error of the served confidence (ECE,
15 equal-width bins of the top-class probability), with the calibration fitted for the weights
(calibrate_mood_model) unless --no-calibration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ._mood_common import existing_folder, labelled_faces, load_detector, percent, print_json, progress


class Command(BaseCommand):
    help = ("Accuracy, macro-F1, per-class recall/precision/F1, the confusion matrix and the calibration error "
            "(ECE) on labelled face crops.")

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="ImageFolder of face crops (or a FER2013 folder)")
        parser.add_argument("--labels", choices=("folder", "ferplus", "fer2013"), default="folder",
                            help="folder: sub-folder names (default); ferplus: FER+ relabels; fer2013: = folder")
        parser.add_argument("--weights", help=f"weights file (default {settings.MOOD_WEIGHTS_PATH})")
        parser.add_argument("--compare", metavar="WEIGHTS",
                            help="a second weights file read on the same faces (same flip and precision): "
                                 "faces only one of the two gets right, and the exact McNemar p-value")
        parser.add_argument("--batch-size", type=int, default=256)
        parser.add_argument("--no-flip", action="store_true",
                            help="classify each face once, without averaging its mirror image (ablation); "
                                 "by default the weights file's own setting, as the app serves it")
        parser.add_argument("--precision", choices=("auto", "bf16", "fp32"), default="auto",
                            help="auto: settings.MOOD_BF16 (bfloat16 where the CPU has it); or force one")
        parser.add_argument("--no-calibration", action="store_true",
                            help="serve the network's own probabilities, without the temperature fitted for the "
                                 "weights (ablation; the predicted moods are the same)")
        parser.add_argument("--json", action="store_true", help="print the metrics as JSON on stdout")

    def handle(self, *args, **opts):
        import numpy as np

        from moods.ml.calibration import ECE_BINS, expected_calibration_error, reliability_table
        from moods.ml.metrics import confusion_matrix, metrics_from_confusion, predictions_compare
        from moods.ml.network import MOODS

        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        data = existing_folder(opts["data"])
        bf16 = {"auto": settings.MOOD_BF16, "bf16": True, "fp32": False}[opts["precision"]]
        temperature = 1.0 if opts["no_calibration"] else None
        detectors = [load_detector(opts["weights"], face_detector=False, bf16=bf16, temperature=temperature)]
        if opts["compare"]:
            detectors.append(load_detector(opts["compare"], face_detector=False, bf16=bf16, temperature=temperature))
        # As served: the weights file's own flip setting (a file combined with --no-flip is served
        # without it), unless --no-flip turns it off; a --compare file is read the same way.
        flip = detectors[0].classifier.model.flip and not opts["no_flip"]
        for each in detectors:
            each.classifier.model.flip = flip
        dataset = labelled_faces(self, folder=data, labels=opts["labels"])

        probs = [self._probabilities(each, dataset, opts["batch_size"]) for each in detectors]
        predicted = [each.argmax(axis=1) for each in probs]
        detector = detectors[0]
        metrics = metrics_from_confusion(confusion_matrix(dataset.labels, predicted[0]))
        metrics["ece"] = expected_calibration_error(probs[0], dataset.labels)
        metrics["ece_bins"] = ECE_BINS
        metrics["temperature"] = detector.temperature
        metrics["reliability"] = reliability_table(probs[0], dataset.labels)
        if opts["compare"]:
            metrics["comparison"] = {
                "weights": str(detectors[1].weights_path),
                "accuracy": float(np.mean(predicted[1] == np.asarray(dataset.labels))),
                **predictions_compare(truth=dataset.labels, predicted=predicted[0], other_predicted=predicted[1]),
            }
        metrics["weights"] = str(detector.weights_path)
        metrics["data"] = str(data)
        metrics["labels"] = opts["labels"]
        metrics["skipped"] = dataset.skipped
        metrics["moods"] = list(MOODS)
        metrics["inference"] = "bfloat16" if detector.classifier.bf16 else "float32"
        metrics["flip_averaging"] = detector.classifier.model.flip

        if opts["json"]:
            print_json(self, metrics)
            return
        self._print_report(metrics, MOODS)

    def _probabilities(self, detector, dataset, batch_size: int):
        """The served probabilities of every face, (N, len(MOODS)) in MOODS order."""
        import numpy as np

        from moods.ml.preprocess import arrays_to_batch

        rows = []
        with progress(self, total=len(dataset), desc="classifying", unit="face", leave=False) as bar:
            for start in range(0, len(dataset), batch_size):
                arrays = dataset.images[start : start + batch_size]
                rows.append(detector.classify_batch(arrays_to_batch(arrays)))
                bar.update(len(arrays))
        return np.concatenate(rows)

    def _print_report(self, metrics: dict, moods) -> None:
        out = self.stdout.write
        out(f"{metrics['count']} faces from {metrics['data']} (labels: {metrics['labels']}), "
            f"weights {metrics['weights']} ({metrics['inference']} inference, "
            f"{'with' if metrics['flip_averaging'] else 'without'} flip averaging)")
        if metrics["skipped"]:
            out(f"skipped {metrics['skipped']} unreadable file(s)")
        out(f"accuracy {percent(metrics['accuracy'])}   macro-F1 {metrics['macro_f1']:.3f}   "
            f"ECE ({metrics['ece_bins']} bins) {percent(metrics['ece'])} at temperature {metrics['temperature']:.3f}")
        out("")
        out(f"{'mood':<9}{'support':>9}{'recall':>9}{'precision':>11}{'F1':>8}")
        for mood, row in metrics["per_class"].items():
            out(f"{mood:<9}{row['support']:>9}{row['recall']:>9.3f}{row['precision']:>11.3f}{row['f1']:>8.3f}")
        out("")
        out("confusion matrix (rows: true mood, columns: predicted)")
        width = max(9, *(len(m) + 2 for m in moods))
        out(f"{'':<9}" + "".join(f"{m:>{width}}" for m in moods))
        for mood, row in zip(moods, metrics["confusion_matrix"]):
            if mood in metrics["per_class"]:  # moods absent from the data have an all-zero row
                out(f"{mood:<9}" + "".join(f"{n:>{width}}" for n in row))
        if "comparison" in metrics:
            c = metrics["comparison"]
            out("")
            out(f"compared with {c['weights']} on the same faces: accuracy {percent(c['accuracy'])}; "
                f"{c['changed']} face(s) read as another mood; "
                f"only these weights right on {c['only_this_right']} face(s), only the other on "
                f"{c['only_other_right']}; exact McNemar p = {c['mcnemar_p']:.3f}")
