"""The detector is one object per process, created once, and gives the same answers from many threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from moods import services
from moods.services import get_detector
from tests.moods.conftest import jpeg_bytes


def test_concurrent_first_calls_create_a_single_detector(monkeypatch):
    # Start from "not created yet" so the threads really race for the creation.
    monkeypatch.setattr(services, "_detector", None)
    barrier = threading.Barrier(6)

    def first_call(_):
        barrier.wait()
        return get_detector()

    with ThreadPoolExecutor(6) as pool:
        got = list(pool.map(first_call, range(6)))

    assert all(d is got[0] for d in got)  # a racing second creation would hand out another object
    assert services._detector is got[0]
    assert get_detector() is got[0]


def test_the_singleton_is_the_one_everybody_gets(detector):
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: get_detector(), range(8)))
    assert all(d is detector for d in got)


def test_concurrent_detections_give_the_same_results_as_serial_ones(detector, astronaut):
    rng = np.random.default_rng(0)
    inputs = [
        jpeg_bytes(astronaut),
        astronaut.resize((300, 300)),
        jpeg_bytes(astronaut.rotate(8, fillcolor=(90, 90, 90))),
        Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)),  # no face
    ]

    def run(item):
        try:
            return detector.detect(item)
        except Exception as exc:  # NoFaceDetected for the noise
            return type(exc).__name__

    serial = [run(item) for item in inputs]
    assert serial[3] == "NoFaceDetected"
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(run, inputs * 3))

    assert concurrent == serial * 3
