"""bench_mood runs, warms up, and reports medians, p95s and rates that hang together."""

from __future__ import annotations

import io
import json

import pytest
import torch
from django.core.management import call_command
from django.core.management.base import CommandError

KEYS = {"detect", "detect_jpeg_bytes", "stage_prepare", "stage_mtcnn", "stage_crop", "classify_batch_1",
        "classify_batch_32"}


def _bench(*args) -> str:
    out = io.StringIO()
    call_command("bench_mood", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.slow  # timing loops
def test_json_report(detector):
    threads_before = torch.get_num_threads()
    try:
        report = json.loads(_bench("--runs", "3", "--threads", "1", "--json"))
    finally:
        torch.set_num_threads(threads_before)

    assert report["torch_threads"] == 1
    assert report["runs"] == 3
    assert report["faces_found"] >= 1
    assert set(report["results"]) == KEYS
    for name, row in report["results"].items():
        assert 0 < row["min_ms"] <= row["median_ms"] <= row["p95_ms"], name
    batch32 = report["results"]["classify_batch_32"]
    assert batch32["per_item_ms"] == pytest.approx(batch32["median_ms"] / 32, abs=1e-3)
    assert batch32["items_per_second"] == pytest.approx(32_000 / batch32["median_ms"], rel=1e-2)


@pytest.mark.slow  # timing loops
def test_readable_report(detector):
    threads_before = torch.get_num_threads()
    try:
        text = _bench("--runs", "2", "--threads", "1")
    finally:
        torch.set_num_threads(threads_before)
    assert "torch threads 1" in text
    assert all(name in text for name in KEYS)


def test_a_missing_photo_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no file at"):
        _bench("--image", str(tmp_path / "none.jpg"), "--runs", "1")


def test_a_photo_without_a_face_is_a_clear_error(tmp_path):
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("RGB", (320, 240), (255, 255, 255)).save(blank)
    with pytest.raises(CommandError, match="detect\\(\\) failed"):
        _bench("--image", str(blank), "--runs", "1")
