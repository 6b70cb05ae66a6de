"""A process decodes at most settings.IMAGE_DECODE_PIXELS pixels at once: further pictures wait their
turn (and get a 503 if the wait is too long), so memory follows the budget, not the number of
uploads arriving together."""

import io
import threading

import pytest
from PIL import Image

from vexora import images
from vexora.errors import InvalidInput, ServiceUnavailable
from vexora.images import image_decode_turn, image_open_checked


def png(size) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 160, 90)).save(out, "PNG")
    return out.getvalue()


def open_in_thread(data: bytes) -> tuple[threading.Thread, dict]:
    result = {}

    def run():
        try:
            result["image"] = image_open_checked(upload=data, max_bytes=1024 * 1024)
        except Exception as exc:  # handed to the test
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def test_a_picture_waits_while_the_budget_is_taken(settings):
    settings.IMAGE_DECODE_PIXELS = 1000
    with image_decode_turn(pixels=1000):
        thread, result = open_in_thread(png((20, 20)))
        thread.join(timeout=0.5)
        assert thread.is_alive() and not result  # waiting for its turn

    thread.join(timeout=10)
    assert result["image"].size == (20, 20)


def test_small_pictures_share_what_is_left_of_the_budget(settings):
    settings.IMAGE_DECODE_PIXELS = 1000
    with image_decode_turn(pixels=500):
        thread, result = open_in_thread(png((20, 20)))  # 400 pixels
        thread.join(timeout=10)

        assert result["image"].size == (20, 20)


def test_a_picture_bigger_than_the_budget_is_decoded_alone(settings):
    settings.IMAGE_DECODE_PIXELS = 100

    assert image_open_checked(upload=png((30, 30)), max_bytes=1024 * 1024).size == (30, 30)


def test_a_picture_that_waits_too_long_is_a_503(settings, monkeypatch):
    settings.IMAGE_DECODE_PIXELS = 1000
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.2)

    with image_decode_turn(pixels=1000):
        with pytest.raises(ServiceUnavailable) as caught:
            image_open_checked(upload=png((20, 20)), max_bytes=1024 * 1024)

    assert caught.value.status == 503
    assert caught.value.message == "too many pictures are being read right now, please try again"


def test_the_budget_is_given_back_when_decoding_fails(settings, monkeypatch):
    settings.IMAGE_DECODE_PIXELS = 1000
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.2)
    damaged = png((30, 30))[:-30]

    for _ in range(3):
        with pytest.raises(InvalidInput, match="damaged"):
            image_open_checked(upload=damaged, max_bytes=1024 * 1024)

    assert image_open_checked(upload=png((30, 30)), max_bytes=1024 * 1024).size == (30, 30)
