"""Every common image mode is accepted, as a PIL image and as an encoded file."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.moods.conftest import assert_same_face, jpeg_bytes, png_bytes


def _rgba(astronaut: Image.Image) -> Image.Image:
    """The portrait on a canvas whose border is fully transparent."""
    canvas = Image.new("RGBA", (464, 464), (0, 0, 0, 0))
    canvas.paste(astronaut.convert("RGBA"), (40, 40))
    return canvas


def _i16(astronaut: Image.Image) -> Image.Image:
    wide = np.asarray(astronaut.convert("L"), dtype=np.uint16) * 257  # 16-bit grey, full range
    return Image.fromarray(wide)  # mode I;16


MODES = {
    "RGBA": lambda a: _rgba(a),
    "LA": lambda a: a.convert("LA"),
    "P": lambda a: a.convert("P", palette=Image.Palette.ADAPTIVE, colors=256),
    "CMYK": lambda a: a.convert("CMYK"),
    "L": lambda a: a.convert("L"),
    "I;16": _i16,
}
ENCODE = {"RGBA": png_bytes, "LA": png_bytes, "P": png_bytes, "CMYK": jpeg_bytes, "L": jpeg_bytes, "I;16": png_bytes}


def _expected_box(mode: str, upright_box):
    offset = 40 if mode == "RGBA" else 0
    return [v + offset for v in upright_box]


@pytest.mark.parametrize("mode", list(MODES))
def test_a_pil_image_in_this_mode_works(detector, astronaut, upright, mode):
    image = MODES[mode](astronaut)
    assert image.mode.startswith(mode)

    result = detector.detect(image)

    assert result.faces_found >= 1
    assert_same_face(result.face_box, _expected_box(mode, upright.face_box))
    assert sum(result.prediction.probabilities.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("mode", list(MODES))
def test_an_encoded_file_in_this_mode_works(detector, astronaut, upright, mode):
    data = ENCODE[mode](MODES[mode](astronaut))

    result = detector.detect(data)

    assert result.faces_found >= 1
    assert_same_face(result.face_box, _expected_box(mode, upright.face_box))


def test_sixteen_bit_grey_reads_like_eight_bit_grey(detector, astronaut):
    # A plain convert("L") of 16-bit data clips to white; the detector must scale it instead.
    eight = detector.detect(astronaut.convert("L"))
    sixteen = detector.detect(_i16(astronaut))

    assert sixteen.face_box == eight.face_box
    for mood, p in eight.prediction.probabilities.items():
        assert sixteen.prediction.probabilities[mood] == pytest.approx(p, abs=0.02)
