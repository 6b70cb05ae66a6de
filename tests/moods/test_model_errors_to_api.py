"""The model package's errors become the API's: a picture without a face is a 400 with the same
message, an unreadable picture a 400 (moods.services.mood_image_detect)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from moods.ml.errors import ImageTooLarge, NoFaceDetected, UnreadableImage
from moods.services import FaceNotFound, mood_image_detect
from vexora.errors import InvalidInput


def test_no_face_is_a_400_with_the_models_message(detector):
    with pytest.raises(FaceNotFound) as caught:
        mood_image_detect(image=Image.new("RGB", (640, 480), (255, 255, 255)))

    assert isinstance(caught.value, InvalidInput) and caught.value.status == 400
    assert caught.value.message == "no face detected in the image"
    assert isinstance(caught.value.__cause__, NoFaceDetected)


def test_bytes_that_are_not_an_image_are_a_400_but_not_a_missing_face(detector):
    with pytest.raises(InvalidInput) as caught:
        mood_image_detect(image=b"this is not an image")

    assert not isinstance(caught.value, FaceNotFound)
    assert caught.value.status == 400
    assert caught.value.message == "the file is not a readable image"
    assert isinstance(caught.value.__cause__, UnreadableImage)


def test_a_picture_with_too_many_pixels_is_a_400(detector, settings):
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    assert 8000 * 6000 > settings.IMAGE_MAX_PIXELS

    with pytest.raises(InvalidInput) as caught:
        mood_image_detect(image=buffer.getvalue())

    assert caught.value.status == 400 and caught.value.message == "the image has too many pixels"
    assert isinstance(caught.value.__cause__, ImageTooLarge)
