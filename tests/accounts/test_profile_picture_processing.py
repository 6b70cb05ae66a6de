"""Profile pictures, processing: what an uploaded file must be to be accepted (checked by content,
size and pixel count), and what comes out (upright, square 512x512 JPEG without metadata).

Exercised through the public functions ``vexora.images.image_open_checked`` and
``accounts.pictures.picture_process``; storage is in test_profile_picture_storage.py.
"""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from accounts.pictures import picture_process
from vexora.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType
from vexora.images import image_open_checked

MB = 1024 * 1024
RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def upload(data: bytes, name: str = "me.png", content_type: str = "image/png") -> SimpleUploadedFile:
    """What Django hands a view for a multipart file field; name and type are the client's claim."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def open_checked(data, **kwargs):
    kwargs.setdefault("max_bytes", 5 * MB)
    return image_open_checked(upload=data, **kwargs)


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour))


def halves(size, first, second, *, vertical_split=True) -> Image.Image:
    """An image whose left (or top) half is ``first`` and the other half ``second``."""
    image = Image.new("RGB", size, second)
    w, h = size
    image.paste(first, (0, 0, w // 2, h) if vertical_split else (0, 0, w, h // 2))
    return image


def png_with_declared_size(width: int, height: int) -> bytes:
    """A tiny, valid-looking PNG whose header claims ``width`` x ``height`` (a decompression bomb)."""
    data = encode(Image.new("L", (8, 8), 0), "PNG")
    ihdr_start = 8  # after the signature: length(4) type(4) data(13) crc(4)
    ihdr = bytearray(data[ihdr_start + 8: ihdr_start + 8 + 13])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[: ihdr_start + 8] + bytes(ihdr) + crc + data[ihdr_start + 8 + 13 + 4:]


# --- Accepted --------------------------------------------------------------------------------
def test_a_png_upload_is_accepted_and_fully_decoded():
    data = encode(Image.new("RGBA", (64, 48), (10, 20, 30, 255)), "PNG")

    image = open_checked(upload(data, "avatar.png"))

    assert image.format == "PNG"
    assert image.size == (64, 48)
    assert image.getpixel((5, 5)) == (10, 20, 30, 255)


def test_a_jpeg_upload_is_accepted_even_when_named_and_typed_as_something_else():
    data = encode(Image.new("RGB", (64, 48), GREEN), "JPEG", quality=95)

    image = open_checked(upload(data, "holiday.gif", "application/octet-stream"))

    assert image.format == "JPEG"
    assert near(image.getpixel((10, 10)), GREEN)


def test_a_multi_picture_jpeg_from_a_phone_is_accepted_as_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (40, 40), RED).save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (40, 40), BLUE)])

    image = open_checked(upload(out.getvalue(), "photo.jpg", "image/jpeg"))

    assert image.format in ("JPEG", "MPO")
    assert near(image.getpixel((5, 5)), RED)


def test_raw_bytes_are_accepted_as_well_as_uploaded_files():
    data = encode(Image.new("RGB", (20, 20), BLUE), "PNG")

    assert open_checked(data).size == (20, 20)


# --- Refused by content ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP"])
def test_other_image_formats_are_refused_even_when_named_png(fmt):
    data = encode(Image.new("RGB", (32, 32), RED), fmt)

    with pytest.raises(UnsupportedMediaType) as caught:
        open_checked(upload(data, "avatar.png", "image/png"))

    assert caught.value.status == 415
    assert caught.value.message == "the file is not a PNG or JPEG image"


def test_a_text_file_renamed_png_is_refused():
    with pytest.raises(UnsupportedMediaType) as caught:
        open_checked(upload(b"hello, I am definitely a picture\n" * 20, "avatar.png", "image/png"))

    assert caught.value.message == "the file is not a PNG or JPEG image"


def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput):
        open_checked(upload(b"", "avatar.png"))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused_cleanly(fmt):
    noisy = Image.effect_noise((256, 256), 64).convert("RGB")  # incompressible: cutting it matters
    data = encode(noisy, fmt)

    with pytest.raises(InvalidInput) as caught:
        open_checked(upload(data[: len(data) // 2]))

    assert caught.value.status == 400
    assert "damaged" in caught.value.message


def test_allowed_formats_can_be_narrowed_for_other_uploads():
    data = encode(Image.new("RGB", (16, 16), RED), "JPEG")

    with pytest.raises(UnsupportedMediaType) as caught:
        open_checked(data, allowed_formats=("PNG",))

    assert caught.value.message == "the file is not a PNG image"


# --- Size and pixel caps ---------------------------------------------------------------------
def test_a_file_above_the_size_cap_is_refused_with_the_limit_in_mb():
    too_big = encode(Image.new("RGB", (8, 8)), "PNG") + b"\0" * (5 * MB)

    with pytest.raises(PayloadTooLarge) as caught:
        open_checked(upload(too_big), max_bytes=5 * MB)

    assert caught.value.status == 413
    assert caught.value.message == "the image is larger than 5 MB"


def test_a_file_exactly_at_the_size_cap_is_accepted():
    data = encode(Image.new("RGB", (8, 8), RED), "PNG")

    assert open_checked(upload(data), max_bytes=len(data)).size == (8, 8)
    with pytest.raises(PayloadTooLarge):
        open_checked(upload(data), max_bytes=len(data) - 1)


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = png_with_declared_size(100_000, 100_000)  # 10 gigapixels in a few dozen bytes
    assert len(bomb) < 200

    with pytest.raises(InvalidInput) as caught:
        open_checked(upload(bomb))

    assert caught.value.message == "the image has too many pixels"


@pytest.mark.parametrize("side", [40, 100])  # 1.6x and 10x the limit below
def test_the_pixel_cap_follows_settings(settings, side):
    settings.IMAGE_MAX_PIXELS = 1000
    data = encode(Image.new("RGB", (side, side), RED), "PNG")

    with pytest.raises(InvalidInput) as caught:
        open_checked(upload(data))

    assert caught.value.message == "the image has too many pixels"


def test_the_pixel_cap_does_not_leak_into_other_image_code(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    with pytest.raises(InvalidInput):
        open_checked(encode(Image.new("RGB", (100, 100), RED), "PNG"))

    Image.open(io.BytesIO(encode(Image.new("RGB", (100, 100), RED), "PNG"))).load()  # Pillow's own limit


def test_an_image_within_the_pixel_cap_is_accepted(settings):
    settings.IMAGE_MAX_PIXELS = 1000
    data = encode(Image.new("RGB", (25, 40), RED), "PNG")

    assert open_checked(upload(data)).size == (25, 40)


# --- Orientation -----------------------------------------------------------------------------
def jpeg_rotated_by_exif() -> bytes:
    """Stored landscape, left half red / right half blue, tagged Orientation=6 (rotate 90° CW to
    display): shown upright it is a portrait, red on top and blue at the bottom."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(halves((300, 200), RED, BLUE), "JPEG", quality=95, exif=exif)


def test_the_exif_orientation_is_applied_on_opening():
    image = open_checked(upload(jpeg_rotated_by_exif(), "photo.jpg", "image/jpeg"))

    assert image.size == (200, 300)
    assert near(image.getpixel((100, 20)), RED)
    assert near(image.getpixel((100, 280)), BLUE)


def test_the_processed_picture_is_upright():
    image = open_checked(upload(jpeg_rotated_by_exif(), "photo.jpg", "image/jpeg"))

    result = Image.open(io.BytesIO(picture_process(image=image)))

    assert result.size == (512, 512)
    assert near(result.getpixel((256, 40)), RED)
    assert near(result.getpixel((256, 470)), BLUE)
    assert near(result.getpixel((40, 40)), RED) and near(result.getpixel((470, 40)), RED)


# --- Output ----------------------------------------------------------------------------------
def test_the_output_is_a_512_square_progressive_rgb_jpeg():
    image = open_checked(encode(Image.new("RGB", (900, 600), GREEN), "PNG"))

    data = picture_process(image=image)
    result = Image.open(io.BytesIO(data))

    assert data[:3] == b"\xff\xd8\xff"
    assert result.format == "JPEG"
    assert result.size == (512, 512)
    assert result.mode == "RGB"
    assert result.info.get("progressive") or result.info.get("progression")
    assert near(result.getpixel((256, 256)), GREEN, tolerance=8)


def test_a_small_picture_is_scaled_up_to_512():
    image = open_checked(encode(Image.new("RGB", (40, 30), BLUE), "PNG"))

    result = Image.open(io.BytesIO(picture_process(image=image)))

    assert result.size == (512, 512)


def test_a_wide_picture_is_cropped_around_its_centre():
    wide = Image.new("RGB", (300, 100), GREEN)
    wide.paste(RED, (0, 0, 100, 100))
    wide.paste(BLUE, (200, 0, 300, 100))

    result = Image.open(io.BytesIO(picture_process(image=open_checked(encode(wide, "PNG")))))

    for x in (8, 256, 503):
        assert near(result.getpixel((x, 256)), GREEN), x


def test_a_tall_picture_is_cropped_around_its_centre():
    tall = Image.new("RGB", (100, 300), GREEN)
    tall.paste(RED, (0, 0, 100, 100))
    tall.paste(BLUE, (0, 200, 100, 300))

    result = Image.open(io.BytesIO(picture_process(image=open_checked(encode(tall, "PNG")))))

    for y in (8, 256, 503):
        assert near(result.getpixel((256, y)), GREEN), y


@pytest.mark.parametrize("with_icc", [True, False], ids=["with-icc-profile", "without-icc-profile"])
def test_all_metadata_is_stripped(with_icc):
    exif = Image.Exif()
    exif[0x010F] = "SnoopCam Industries"  # Make
    exif[0x0131] = "SecretEditor 9"  # Software
    exif[0x0112] = 1
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    extra = {"icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()} if with_icc else {}
    data = encode(
        Image.new("RGB", (300, 300), GREEN), "JPEG", exif=exif, comment=b"taken at 12 Private Street",
        xmp=b"<x:xmpmeta>private</x:xmpmeta>", dpi=(300, 300), **extra,
    )
    image = open_checked(upload(data, "photo.jpg", "image/jpeg"))
    assert "exif" in image.info and "comment" in image.info  # the input really carries them
    assert ("icc_profile" in image.info) == with_icc

    out = picture_process(image=image)
    result = Image.open(io.BytesIO(out))

    assert len(result.getexif()) == 0
    for key in ("exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp"):
        assert key not in result.info, key
    for secret in (b"Exif", b"SnoopCam", b"SecretEditor", b"Private Street", b"xmpmeta", b"ICC_PROFILE"):
        assert secret not in out, secret


def test_transparency_is_composited_on_white():
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 64, 16))

    result = Image.open(io.BytesIO(picture_process(image=open_checked(encode(image, "PNG")))))

    assert near(result.getpixel((256, 400)), (255, 255, 255), tolerance=6)
    assert near(result.getpixel((256, 30)), (200, 0, 0))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Image.new("L", (50, 50), 128),
        lambda: Image.new("LA", (50, 50), (128, 255)),
        lambda: Image.new("RGB", (50, 50), (128, 128, 128)).quantize(8),
        lambda: Image.new("I;16", (50, 50), 128 * 257),
        lambda: Image.new("1", (50, 50), 1),
    ],
    ids=["grey", "grey-alpha", "palette", "16-bit-grey", "bilevel"],
)
def test_other_png_modes_become_rgb_with_their_tones_kept(make):
    source = make()
    expected = 255 if source.mode == "1" else 128

    result = Image.open(io.BytesIO(picture_process(image=open_checked(encode(source, "PNG")))))

    assert result.mode == "RGB"
    assert near(result.getpixel((256, 256)), (expected,) * 3, tolerance=6)


def test_a_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (60, 60), (0, 255, 255, 0)), "JPEG", quality=95)  # red in CMYK

    result = Image.open(io.BytesIO(picture_process(image=open_checked(data))))

    assert result.mode == "RGB"
    r, g, b = result.getpixel((256, 256))
    assert r > 200 and g < 60 and b < 60
