"""Creating the detector and detecting a face touch no network (MTCNN's weights ship in facenet-pytorch)."""

from __future__ import annotations

import socket

import pytest
from django.conf import settings

from moods.ml.detector import MoodDetector


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_a_fresh_detector_loads_and_detects_offline(no_network, astronaut_bytes):
    detector = MoodDetector(weights_path=settings.MOOD_WEIGHTS_PATH)

    result = detector.detect(astronaut_bytes)

    assert result.faces_found >= 1
    assert no_network == []


def test_mtcnn_weights_come_from_the_installed_package():
    import facenet_pytorch
    from pathlib import Path

    data = Path(facenet_pytorch.__file__).parent / "data"
    assert all((data / f"{name}net.pt").is_file() for name in ("p", "r", "o"))


def test_a_missing_weights_file_makes_the_service_unavailable_not_a_crash(monkeypatch, tmp_path, settings):
    from moods import services
    from moods.services import get_detector
    from vexora.errors import ServiceUnavailable

    monkeypatch.setattr(services, "_detector", None)
    settings.MOOD_WEIGHTS_PATH = tmp_path / "missing.pt"
    with pytest.raises(ServiceUnavailable) as caught:
        get_detector()
    assert caught.value.status == 503
    assert services._detector is None  # a later call tries again
