"""Pixel conversions in plain Pillow (no Django): shared by the upload checks (vexora.images) and
the model package (moods.ml), which must not depend on the web app."""

from __future__ import annotations

import io
import logging

from PIL import Image, ImageCms

logger = logging.getLogger(__name__)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours from an embedded ICC profile to sRGB (best effort)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except Exception as exc:  # a broken or unusual profile: keep the raw values
        logger.info("ignored an unusable ICC profile: %s", exc)
        return image
    converted.info.pop("icc_profile", None)
    return converted


def image_to_rgb(image: Image.Image, *, background=(255, 255, 255)) -> Image.Image:
    """Return an 8-bit RGB copy of ``image``: colours in sRGB (ICC profile applied), transparency
    composited on ``background`` (white), palette, grey, 16-bit grey and CMYK images converted."""
    image = _to_srgb(image)
    mode = image.mode
    if mode == "RGB" and "transparency" not in image.info:
        return image.copy()
    if mode.startswith("I;16") or mode == "I":
        # 16-bit grey (PNG): scale to 8 bits; a plain convert("L") would clip everything above 255.
        image = image.point(lambda v: v * (1 / 257)).convert("L")
        mode = "L"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, tuple(background) + (255,))
        flat.alpha_composite(rgba)
        return flat.convert("RGB")
    return image.convert("RGB")
