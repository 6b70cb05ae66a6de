"""Checking uploaded images: one place for every upload that must be a picture (profile pictures,
the mood-detection selfie).

- The type is judged by the *content* (the format Pillow detects), never by the file name or the
  Content-Type the client sent.
- The size cap is checked before any decoding, and only ``max_bytes + 1`` bytes are ever read.
- Decompression bombs (tiny files declaring huge dimensions) are refused from the header, before
  the pixels are decoded (``settings.IMAGE_MAX_PIXELS``).
- The image is fully decoded inside the checks, so a truncated or corrupt file fails here with a
  clear 4xx instead of later with a 500.
- The EXIF orientation is applied, so callers always get the picture the right way up.

``image_to_rgb`` (any mode to 8-bit sRGB) lives in the Django-free ``vexora.pixels``, which the model
package shares; it is offered here too for the upload code.
"""

from __future__ import annotations

import io
import logging
import struct
import warnings
import zlib

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from vexora.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from vexora.pixels import image_to_rgb

__all__ = ["human_size", "image_open_checked", "image_to_rgb"]

logger = logging.getLogger(__name__)

# Some phone JPEGs carry a multi-picture extension; Pillow reports them as "MPO". They are JPEGs.
_FORMAT_ALIASES = {"JPEG": ("JPEG", "MPO")}
# What Pillow raises for damaged data, depending on the plugin and where the damage is.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)


def human_size(num_bytes: int) -> str:
    """``5242880`` -> ``"5 MB"``, ``1536`` -> ``"1.5 KB"``: for messages about size limits."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= factor:
            value = round(num_bytes / factor, 1)
            return f"{value:g} {unit}"
    return f"{num_bytes} bytes"


def _formats_text(allowed_formats) -> str:
    names = list(allowed_formats)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _read_capped(upload, max_bytes: int) -> bytes:
    """The upload's bytes; PayloadTooLarge as soon as it is known to be above ``max_bytes``."""
    too_large = PayloadTooLarge(f"the image is larger than {human_size(max_bytes)}")
    if isinstance(upload, (bytes, bytearray, memoryview)):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise too_large
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def image_open_checked(*, upload, max_bytes: int, allowed_formats=("PNG", "JPEG")) -> Image.Image:
    """Open an uploaded image safely and return it fully decoded, the right way up.

    ``upload`` is a Django ``UploadedFile`` (or any binary file object) or ``bytes``.
    Raises PayloadTooLarge (413) above ``max_bytes``, UnsupportedMediaType (415) when the content is
    not one of ``allowed_formats`` (Pillow format names), InvalidInput (400) when the image is
    empty, damaged, truncated or has more than ``settings.IMAGE_MAX_PIXELS`` pixels.
    The returned image keeps ``.format`` (the detected format) and ``.info`` (ICC profile etc.).
    """
    allowed_formats = tuple(allowed_formats)
    not_allowed = UnsupportedMediaType(f"the file is not a {_formats_text(allowed_formats)} image")
    data = _read_capped(upload, max_bytes)
    if not data:
        raise InvalidInput("the image file is empty")

    max_pixels = int(settings.IMAGE_MAX_PIXELS)
    too_many_pixels = InvalidInput("the image has too many pixels")
    accepted = {name for fmt in allowed_formats for name in _FORMAT_ALIASES.get(fmt, (fmt,))}
    # Pillow's own guard (a warning above its limit, an error above twice) is a process-wide
    # setting: align it with ours while opening, then put it back so other code is unaffected.
    # The explicit check below is the one that decides, whatever another thread set meanwhile.
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(allowed_formats))
            if image.format not in accepted:
                raise not_allowed
            width, height = image.size
            if width <= 0 or height <= 0:
                raise InvalidInput("the image is damaged or incomplete")
            if width * height > max_pixels:
                raise too_many_pixels
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except UnidentifiedImageError:
        raise not_allowed from None
    except (InvalidInput, UnsupportedMediaType):
        raise
    except _DECODE_ERRORS as exc:
        logger.info("refused a damaged image upload: %s", exc)
        raise InvalidInput("the image is damaged or incomplete") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit

    detected = image.format
    try:
        oriented = ImageOps.exif_transpose(image)
    except Exception as exc:  # a malformed EXIF block must not refuse an otherwise good picture
        logger.info("ignored a malformed EXIF orientation: %s", exc)
        oriented = image
    if oriented is None:  # only with in_place=True, kept for safety
        oriented = image
    oriented.format = detected
    return oriented
