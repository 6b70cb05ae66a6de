"""Preparing a photo for face detection: decode (bytes or a PIL image), turn the right way up,
scale down, convert to 8-bit RGB.

Big JPEGs are decoded at a reduced scale (JPEG draft mode) and any picture whose longest side is
above ``WORK_MAX_SIDE`` is scaled down: the "work" image. Every mode (RGBA, LA, P, CMYK, L,
I;16 ...) becomes 8-bit sRGB (``vexora.pixels.image_to_rgb``, plain Pillow).
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from vexora.pixels import image_to_rgb

from .errors import ImageError, ImageTooLarge, UnreadableImage, _

logger = logging.getLogger(__name__)

# Pictures are scaled down to this longest side before anything else (a 48x48 crop needs no more).
WORK_MAX_SIDE = 1280

# What Pillow raises for damaged data, depending on the plugin and where the damage is.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError)


@dataclass
class Prepared:
    work: Image.Image  # RGB, right way up, longest side <= WORK_MAX_SIDE
    original_size: tuple[int, int]  # (width, height) of the EXIF-corrected original


def image_prepare(image, *, max_pixels: int | None = None) -> Prepared:
    """bytes / file / PIL image -> RGB work image the right way up, plus the original's size.

    Raises UnreadableImage (not an image, empty, damaged), ImageTooLarge (more than ``max_pixels``,
    checked from the header before decoding), TypeError for anything else than bytes, a binary file
    or a PIL image."""
    if isinstance(image, Image.Image):
        return _orient_and_shrink(image, image.size)
    if isinstance(image, (bytes, bytearray, memoryview)) or hasattr(image, "read"):
        return _orient_and_shrink(*_open(image, max_pixels=max_pixels))
    raise TypeError(f"detect takes bytes or a PIL image, not {type(image).__name__}")


def box_to_original(box, prepared: Prepared) -> tuple[int, int, int, int]:
    """A box in the work image's coordinates -> integer pixels of the (EXIF-corrected) original."""
    width, height = prepared.original_size
    sx, sy = width / prepared.work.size[0], height / prepared.work.size[1]
    x1, y1, x2, y2 = box

    def clamp(value: float, top: int) -> int:
        return int(min(max(round(value), 0), top))

    return (clamp(x1 * sx, width), clamp(y1 * sy, height), clamp(x2 * sx, width), clamp(y2 * sy, height))


def _open(data, *, max_pixels: int | None) -> tuple[Image.Image, tuple[int, int]]:
    """Decoded image (maybe at a reduced JPEG scale) and its full size as stored."""
    if hasattr(data, "read"):
        if hasattr(data, "seek"):
            data.seek(0)
        data = data.read()
    data = bytes(data)
    if not data:
        raise UnreadableImage(_("the image file is empty"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width <= 0 or height <= 0:
                raise UnreadableImage()
            if max_pixels and width * height > max_pixels:
                raise ImageTooLarge()
            if image.format == "JPEG" and max(width, height) > WORK_MAX_SIDE:
                # Decode at 1/2, 1/4 or 1/8 scale, never below WORK_MAX_SIDE: much faster.
                k = WORK_MAX_SIDE / max(width, height)
                image.draft(image.mode, (int(width * k) + 1, int(height * k) + 1))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge() from None
    except ImageError:
        raise
    except (UnidentifiedImageError, *_DECODE_ERRORS) as exc:
        logger.info("unreadable image for mood detection: %s", exc)
        raise UnreadableImage() from None
    return image, (width, height)


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


def _orient_and_shrink(image: Image.Image, stored_size: tuple[int, int]) -> Prepared:
    width, height = stored_size
    try:
        oriented = ImageOps.exif_transpose(image)
        if _orientation(image) in (5, 6, 7, 8):
            width, height = height, width
    except Exception as exc:  # a malformed EXIF block must not refuse a good picture
        logger.info("ignored a malformed EXIF orientation: %s", exc)
        oriented = image
    if max(oriented.size) > WORK_MAX_SIDE and oriented.mode in ("RGB", "L"):
        oriented = _shrink(oriented)  # cheaper before the conversion
    try:
        work = image_to_rgb(oriented)
    except _DECODE_ERRORS as exc:
        logger.info("unconvertible image for mood detection: %s", exc)
        raise UnreadableImage() from None
    if max(work.size) > WORK_MAX_SIDE:
        work = _shrink(work)
    return Prepared(work=work, original_size=(width, height))


def _shrink(image: Image.Image) -> Image.Image:
    k = WORK_MAX_SIDE / max(image.size)
    size = (max(1, round(image.size[0] * k)), max(1, round(image.size[1] * k)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
