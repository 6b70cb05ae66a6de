"""Checking uploaded images: one place for every upload that must be a picture (profile pictures,
the mood-detection selfie).

- The type is judged by the *content* (the format Pillow detects), never by the file name or the
  Content-Type the client sent.
- The size cap is checked before any decoding, and only ``max_bytes + 1`` bytes are ever read.
- Decompression bombs (tiny files declaring huge dimensions) are refused from the header, before
  the pixels are decoded: each caller says how many pixels it lets a picture cost to decode
  (``max_pixels``: ``settings.SELFIE_MAX_PIXELS``, ``settings.PICTURE_MAX_PIXELS``), and no picture
  may declare more than ``settings.IMAGE_MAX_PIXELS``.
- Memory: decoding costs about 4 bytes per pixel (PNG, JPEG), 6-8 for a progressive JPEG (libjpeg
  keeps every coefficient of the picture). A caller that needs less than the full picture says so
  (``min_long_side`` / ``min_short_side``): a JPEG is then decoded at 1/2, 1/4 or 1/8 scale (Pillow's
  ``draft``), and whatever is still larger than needed is reduced right after decoding, one strip at
  a time, so only the decoded pixels and one strip are ever held at full size. And a process
  decodes at most ``settings.IMAGE_DECODE_PIXELS`` pixels at once: memory follows that budget, not
  the number of uploads arriving together.
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
import threading
import warnings
import zlib
from contextlib import contextmanager

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from vexora.errors import InvalidInput, PayloadTooLarge, ServiceUnavailable, UnsupportedMediaType
from vexora.pixels import image_to_rgb

__all__ = ["human_size", "image_decode_turn", "image_open_checked", "image_to_rgb"]

logger = logging.getLogger(__name__)

# Some phone JPEGs carry a multi-picture extension; Pillow reports them as "MPO". They are JPEGs.
_FORMAT_ALIASES = {"JPEG": ("JPEG", "MPO")}
ORIENTATION = 0x0112  # the EXIF tag
# A reduced picture is built this many pixels of the decoded one at a time (a few MB per strip).
_STRIP_PIXELS = 1 << 20
# Decoding budget of the process (settings.IMAGE_DECODE_PIXELS): pixels being decoded right now.
_decode_turns = threading.Condition()
_decoding_pixels = 0
DECODE_WAIT_SECONDS = 30
# What Pillow raises for damaged data, depending on the plugin and where the damage is.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error, zlib.error)


def _number(value: float) -> str:
    """``12.6`` as the active language writes it (``"12,6"`` in Indonesian; the API's English),
    ``1.0`` as ``"1"``."""
    return formats.number_format(int(value) if value == int(value) else value)


def megapixels(pixels: int) -> str:
    """``12_600_000`` -> ``"12.6 megapixels"``, ``1_000_000`` -> ``"1 megapixel"``: for messages."""
    value = round(pixels / 1_000_000, 1)
    return ngettext("%(value)s megapixel", "%(value)s megapixels", 1 if value == 1 else 2) % {"value": _number(value)}


def human_size(num_bytes: int) -> str:
    """``5242880`` -> ``"5 MB"``, ``1536`` -> ``"1.5 KB"``: for messages about size limits."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= factor:
            return f"{_number(round(num_bytes / factor, 1))} {unit}"
    return ngettext("%(count)s byte", "%(count)s bytes", num_bytes) % {"count": num_bytes}


def _formats_text(allowed_formats) -> str:
    names = list(allowed_formats)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def _read_capped(upload, max_bytes: int) -> bytes:
    """The upload's bytes; PayloadTooLarge as soon as it is known to be above ``max_bytes``."""
    too_large = PayloadTooLarge(gettext("the image is larger than %(size)s") % {"size": human_size(max_bytes)})
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


def image_open_checked(*, upload, max_bytes: int, allowed_formats=("PNG", "JPEG"), max_pixels: int | None = None,
                       min_long_side: int | None = None, min_short_side: int | None = None) -> Image.Image:
    """Open an uploaded image safely and return it fully decoded, the right way up.

    ``upload`` is a Django ``UploadedFile`` (or any binary file object) or ``bytes``.

    ``max_pixels`` (default ``settings.IMAGE_MAX_PIXELS``): the most pixels the picture may cost to
    decode. A PNG or a progressive (multi-scan) JPEG counts its full size; a single-scan JPEG that
    is decoded at a reduced scale counts the pixels at that scale. Whatever the format, no picture
    may declare more than ``settings.IMAGE_MAX_PIXELS`` pixels (or ``max_pixels`` if higher).

    ``min_long_side`` / ``min_short_side``: the smallest picture the caller needs. A larger one is
    decoded at a reduced scale when it is a JPEG (Pillow's ``draft``), then reduced by a whole factor
    (box average) without either side going below what was asked; a reduced picture comes back as
    8-bit sRGB RGB (:func:`image_to_rgb`). Without them the picture comes back at full size, in its
    own mode.

    A process decodes at most ``settings.IMAGE_DECODE_PIXELS`` pixels at once (counted as above):
    other pictures wait their turn, and after ``DECODE_WAIT_SECONDS`` get ServiceUnavailable (503).

    Raises PayloadTooLarge (413) above ``max_bytes``, UnsupportedMediaType (415) when the content is
    not one of ``allowed_formats`` (Pillow format names), InvalidInput (400) when the image is
    empty, damaged, truncated or has too many pixels (``errors["image"]`` names the limit).
    The returned image keeps ``.format`` (the detected format) and, at full size, ``.info`` (ICC
    profile etc.).
    """
    data = _read_capped(upload, max_bytes)
    if not data:
        raise InvalidInput(gettext("the image file is empty"))
    image, cost = _open_header(data, allowed_formats=tuple(allowed_formats), max_pixels=max_pixels,
                               min_long_side=min_long_side, min_short_side=min_short_side)
    detected = image.format
    with image_decode_turn(pixels=cost):
        try:
            image.load()
            factor = _reduce_factor(image.size, min_long_side, min_short_side)
            if factor > 1:
                image = _reduced(image, factor)
        except _DECODE_ERRORS as exc:
            logger.info("refused a damaged image upload: %s", exc)
            raise InvalidInput(gettext("the image is damaged or incomplete")) from None
        try:
            oriented = ImageOps.exif_transpose(image)
        except Exception as exc:  # a malformed EXIF block must not refuse an otherwise good picture
            logger.info("ignored a malformed EXIF orientation: %s", exc)
            oriented = image
    if oriented is None:  # only with in_place=True, kept for safety
        oriented = image
    oriented.format = detected
    return oriented


def _open_header(data: bytes, *, allowed_formats: tuple, max_pixels: int | None,
                 min_long_side: int | None, min_short_side: int | None) -> tuple[Image.Image, int]:
    """The image, opened but not decoded (a JPEG set to decode at a reduced scale when it may), and
    the pixels decoding it costs. Raises the 4xx of :func:`image_open_checked` from the header."""
    not_allowed = UnsupportedMediaType(f"the file is not a {_formats_text(allowed_formats)} image")
    max_pixels = int(settings.IMAGE_MAX_PIXELS if max_pixels is None else max_pixels)
    ceiling = max(int(settings.IMAGE_MAX_PIXELS), max_pixels)
    too_many_pixels = InvalidInput(gettext("the image has too many pixels"),
                                   errors={"image": [gettext("at most %(size)s") % {"size": megapixels(max_pixels)}]})
    accepted = {name for fmt in allowed_formats for name in _FORMAT_ALIASES.get(fmt, (fmt,))}
    # Pillow's own guard (a warning above its limit, an error above twice) is a process-wide
    # setting: align it with ours while opening, then put it back so other code is unaffected.
    # The explicit checks below are the ones that decide, whatever another thread set meanwhile.
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = ceiling
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(allowed_formats))
            if image.format not in accepted:
                raise not_allowed
            width, height = image.size
            if width <= 0 or height <= 0:
                raise InvalidInput(gettext("the image is damaged or incomplete"))
            if width * height > ceiling:
                raise too_many_pixels
            cost = width * height
            factor = _reduce_factor(image.size, min_long_side, min_short_side)
            if image.format in _FORMAT_ALIASES["JPEG"] and factor > 1:
                scale = max(s for s in (8, 4, 2, 1) if s <= factor)
                image.draft(image.mode, (max(1, width // scale), max(1, height // scale)))
                if _jpeg_single_scan(data, layers=len(image.getbands())):
                    cost = image.size[0] * image.size[1]
            if cost > max_pixels:
                raise too_many_pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except UnidentifiedImageError:
        raise not_allowed from None
    except (InvalidInput, UnsupportedMediaType):
        raise
    except _DECODE_ERRORS as exc:
        logger.info("refused a damaged image upload: %s", exc)
        raise InvalidInput(gettext("the image is damaged or incomplete")) from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit
    return image, cost


@contextmanager
def image_decode_turn(*, pixels: int):
    """Holds ``pixels`` of the process's decoding budget (``settings.IMAGE_DECODE_PIXELS``) for the
    ``with`` block, waiting while other threads hold too much of it; a picture bigger than the whole
    budget waits until it is alone. Raises ServiceUnavailable (503) after DECODE_WAIT_SECONDS.
    :func:`image_open_checked` decodes inside one; other code decoding big pictures may use it too."""
    global _decoding_pixels
    budget = int(settings.IMAGE_DECODE_PIXELS)
    with _decode_turns:
        if not _decode_turns.wait_for(lambda: _decoding_pixels == 0 or _decoding_pixels + pixels <= budget,
                                      timeout=DECODE_WAIT_SECONDS):
            logger.warning("an upload waited %s s to be decoded; refused", DECODE_WAIT_SECONDS)
            raise ServiceUnavailable(gettext("too many pictures are being read right now, please try again"),
                                     data={"retry_after": 5})
        _decoding_pixels += pixels
    try:
        yield
    finally:
        with _decode_turns:
            _decoding_pixels -= pixels
            _decode_turns.notify_all()


def _reduce_factor(size, min_long_side: int | None, min_short_side: int | None) -> int:
    """The largest whole factor ``size`` can be divided by with its longer side still at least
    ``min_long_side`` and its shorter side at least ``min_short_side`` (1: no reduction)."""
    limits = [max(size) // min_long_side if min_long_side else None,
              min(size) // min_short_side if min_short_side else None]
    limits = [limit for limit in limits if limit is not None]
    return max(1, min(limits)) if limits else 1


def _jpeg_single_scan(data: bytes, *, layers: int) -> bool:
    """Whether the JPEG sends all its components in one scan (a sequential JPEG, as cameras and
    browsers write them). libjpeg then decodes it row by row, so a reduced-scale decode needs
    memory for the reduced picture only; a progressive JPEG, or one with a scan per component, is
    buffered whole. Reads the markers up to the first scan; anything unexpected counts as multi-scan."""
    position = 2  # after SOI
    progressive = False
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = int.from_bytes(data[position + 2:position + 4], "big")
        if marker in (0xC2, 0xC6, 0xCA, 0xCE):  # progressive frames
            progressive = True
        if marker == 0xDA:  # start of the first scan: how many components does it carry?
            return not progressive and position + 4 < len(data) and data[position + 4] == layers
        position += 2 + length
    return False


def _reduced(image: Image.Image, factor: int) -> Image.Image:
    """``image`` reduced ``factor`` times (box average) as 8-bit sRGB RGB, converted and reduced one
    strip at a time: no full-size copy is made, whatever the mode (alpha, palette, 16-bit, CMYK).
    Keeps the EXIF orientation only; the colours are already converted to sRGB."""
    width, height = image.size
    try:
        orientation = int(image.getexif().get(ORIENTATION, 1) or 1)  # EXIF, else XMP
    except Exception as exc:  # a malformed EXIF block must not refuse an otherwise good picture
        logger.info("ignored a malformed EXIF orientation: %s", exc)
        orientation = 1
    out = Image.new("RGB", (-(-width // factor), -(-height // factor)))
    rows = max(1, _STRIP_PIXELS // (width * factor)) * factor
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(top + rows, height)))
        out.paste(image_to_rgb(strip).reduce(factor), (0, top // factor))
    if orientation != 1:  # for exif_transpose; the rest of the metadata is not carried over
        exif = Image.Exif()
        exif[ORIENTATION] = orientation
        out.info["exif"] = exif.tobytes()
    return out

