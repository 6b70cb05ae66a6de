"""Phone photos stored sideways with an EXIF orientation tag are read the right way up."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.moods.conftest import assert_same_face, jpeg_bytes

# Stored pixels for each tag: the upright photo turned the way a camera would have stored it, so that
# applying the tag (6: turn 90 degrees clockwise, 8: 90 degrees counter-clockwise) restores it.
STORED = {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270, 3: Image.Transpose.ROTATE_180}


def _sideways_jpeg(astronaut: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return jpeg_bytes(astronaut.transpose(STORED[orientation]), exif=exif)


@pytest.mark.parametrize("orientation", [6, 8, 3])
def test_a_rotated_jpeg_with_its_orientation_tag_gives_the_upright_result(detector, astronaut, upright, orientation):
    data = _sideways_jpeg(astronaut, orientation)
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.getexif()[0x0112] == orientation
        if orientation in (6, 8):
            assert stored.size == (384, 384)  # square: the test is about content, see the box check

    result = detector.detect(data)

    assert result.faces_found >= 1
    assert_same_face(result.face_box, upright.face_box)  # in the corrected picture's coordinates
    assert result.prediction.mood == upright.prediction.mood
    for mood, p in upright.prediction.probabilities.items():
        assert result.prediction.probabilities[mood] == pytest.approx(p, abs=0.05)


def test_an_opened_but_not_transposed_pil_image_is_turned_too(detector, astronaut, upright):
    image = Image.open(io.BytesIO(_sideways_jpeg(astronaut, 6)))  # what Image.open gives a caller

    result = detector.detect(image)

    assert_same_face(result.face_box, upright.face_box)


def test_the_box_is_in_the_corrected_coordinates_of_a_non_square_photo(detector, astronaut, upright):
    # 600 wide x 384 high upright; stored as 384 wide x 600 high with tag 6.
    scene = Image.new("RGB", (600, 384), (90, 90, 90))
    scene.paste(astronaut, (200, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    data = jpeg_bytes(scene.transpose(STORED[6]), exif=exif)

    result = detector.detect(data)

    expected = [v + o for v, o in zip(upright.face_box, (200, 0, 200, 0))]
    assert_same_face(result.face_box, expected)
    assert result.face_box[2] <= 600 and result.face_box[3] <= 384


def test_without_the_tag_the_sideways_face_is_not_mistaken_for_the_upright_one(detector, astronaut, upright):
    # Guards the test above: the sideways picture really is different when nobody turns it.
    stored = astronaut.transpose(STORED[6])
    try:
        result = detector.detect(jpeg_bytes(stored))
    except Exception:
        return  # MTCNN often misses a face lying on its side: that is different enough
    assert result.face_box != upright.face_box
