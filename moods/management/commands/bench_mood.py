"""Latency of the mood detector on this machine.

    python manage.py bench_mood                 # 30 runs, torch's thread count (or TORCH_THREADS)
    python manage.py bench_mood --threads 2 --runs 50 --json

Times detect() on a 640x480 photo (the test portrait scaled to 480x480 on a grey 640x480 canvas),
its stages (prepare, MTCNN, crop, CNN), detect() from JPEG bytes, and classify_faces() at batch 1
and 32, after a warm-up. The machine should be otherwise idle for numbers worth comparing.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ._mood_common import load_detector, print_json, progress

DEFAULT_IMAGE = Path(settings.BASE_DIR) / "tests" / "moods" / "data" / "astronaut.jpg"
CANVAS = (640, 480)


def _summary(seconds: list[float], per: int = 1) -> dict:
    import numpy as np

    ms = np.asarray(seconds) * 1000
    median = float(np.median(ms))
    return {
        "median_ms": round(median, 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "min_ms": round(float(ms.min()), 3),
        "per_item_ms": round(median / per, 3),
        "items_per_second": round(per * 1000 / median, 1) if median else None,
    }


class Command(BaseCommand):
    help = "Median and p95 latency of detect() on a 640x480 photo and of classify_faces() at batch 1 and 32."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="timed calls per measurement (default 30)")
        parser.add_argument("--threads", type=int, default=0,
                            help="torch threads (default: TORCH_THREADS, else torch's default)")
        parser.add_argument("--weights", help=f"weights file (default {settings.MOOD_WEIGHTS_PATH})")
        parser.add_argument("--image", default=str(DEFAULT_IMAGE), help="photo with one face (default: test portrait)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")

    def handle(self, *args, **opts):
        import torch
        from PIL import Image, UnidentifiedImageError

        from moods.ml.errors import MoodModelError

        runs = opts["runs"]
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        if opts["threads"] < 0:
            raise CommandError("--threads must be 0 or more")
        try:
            with Image.open(opts["image"]) as src:
                photo = src.convert("RGB")
        except FileNotFoundError:
            raise CommandError(f"--image: no file at {opts['image']}") from None
        except (UnidentifiedImageError, OSError) as exc:
            raise CommandError(f"--image: {opts['image']} is not a readable image ({exc})") from None

        started = time.perf_counter()
        if opts["weights"]:
            detector = load_detector(opts["weights"], threads=opts["threads"])
        else:  # the process-wide detector, exactly as the app uses it
            from moods.services import get_detector
            from vexora.errors import ServiceUnavailable

            try:
                detector = get_detector()
            except ServiceUnavailable as exc:
                raise CommandError(f"{exc}: {exc.__cause__}") from None
        if opts["threads"]:
            torch.set_num_threads(opts["threads"])
        load_seconds = time.perf_counter() - started

        side = min(CANVAS)
        canvas = Image.new("RGB", CANVAS, (128, 128, 128))
        canvas.paste(photo.resize((side, side), Image.Resampling.LANCZOS), ((CANVAS[0] - side) // 2, 0))
        buffer = io.BytesIO()
        canvas.save(buffer, "JPEG", quality=90)
        jpeg = buffer.getvalue()

        try:
            detection = detector.detect(canvas)
        except MoodModelError as exc:  # NoFaceDetected on a photo without a face
            raise CommandError(f"--image: detect() failed on the benchmark canvas: {exc}") from None
        work = detector.prepare(canvas).work
        box = detector.find_faces(work)[0]
        crop = detector.crop_face(work, box)
        batch32 = [crop] * 32

        measurements = {
            "detect": (lambda: detector.detect(canvas), 1),
            "detect_jpeg_bytes": (lambda: detector.detect(jpeg), 1),
            "stage_prepare": (lambda: detector.prepare(canvas), 1),
            "stage_mtcnn": (lambda: detector.find_faces(work), 1),
            "stage_crop": (lambda: detector.crop_face(work, box), 1),
            "classify_batch_1": (lambda: detector.classify_faces([crop]), 1),
            "classify_batch_32": (lambda: detector.classify_faces(batch32), 32),
        }
        results = {}
        with progress(self, total=len(measurements), desc="benchmarking", leave=False) as bar:
            for name, (call, per) in measurements.items():
                for _ in range(min(5, runs)):  # warm-up
                    call()
                times = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    call()
                    times.append(time.perf_counter() - t0)
                results[name] = _summary(times, per)
                bar.update(1)

        report = {
            "runs": runs,
            "torch_threads": torch.get_num_threads(),
            "cpu_count": os.cpu_count(),
            "inference": "bfloat16" if detector.classifier.bf16 else "float32",
            "batchnorm_folded": detector.classifier.folded,
            "load_seconds": round(load_seconds, 3),
            "canvas": list(CANVAS),
            "face_box": list(detection.face_box),
            "faces_found": detection.faces_found,
            "results": results,
        }
        if opts["json"]:
            print_json(self, report)
            return
        out = self.stdout.write
        out(f"torch threads {report['torch_threads']} (of {report['cpu_count']} CPUs), {report['inference']} CNN, "
            f"{runs} runs after warm-up, detector loaded in {load_seconds:.2f} s")
        out(f"{'measurement':<22}{'median ms':>10}{'p95 ms':>9}{'per item ms':>13}{'items/s':>9}")
        for name, row in results.items():
            out(f"{name:<22}{row['median_ms']:>10.2f}{row['p95_ms']:>9.2f}{row['per_item_ms']:>13.2f}"
                f"{row['items_per_second']:>9.1f}")
