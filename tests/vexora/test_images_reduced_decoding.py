"""Pictures bigger than the caller needs are decoded small: a JPEG at 1/2, 1/4 or 1/8 scale (Pillow's
draft), then any picture reduced by a whole factor right after decoding, never below the sides the
caller asked for, colours and orientation kept. Through ``vexora.images.image_open_checked``."""

import io

import pytest
from PIL import Image, ImageChops, ImageCms

from moods.ml.images import WORK_MAX_SIDE
from vexora.errors import InvalidInput
from vexora.images import image_open_checked, image_to_rgb

MB = 1024 * 1024
RED, BLUE = (220, 20, 20), (20, 20, 220)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def open_checked(data: bytes, **kwargs) -> Image.Image:
    return image_open_checked(upload=data, max_bytes=20 * MB, **kwargs)


def halves(size, top_or_left, other) -> Image.Image:
    image = Image.new("RGB", size, other)
    image.paste(top_or_left, (0, 0, size[0] // 2, size[1]))
    return image


def near(pixel, colour, tolerance=30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour))


# --- JPEG: decoded at a reduced scale ---------------------------------------------------------
def test_a_big_jpeg_is_decoded_at_half_scale_when_the_detector_needs_1280_px():
    data = encode(Image.new("RGB", (4000, 3000), RED), "JPEG", quality=90)

    image = open_checked(data, min_long_side=WORK_MAX_SIDE, max_pixels=12_600_000)

    # 1/2 scale keeps the longer side above 1280 (1/4 would not); no further reduction then
    assert image.size == (2000, 1500)
    assert near(image.getpixel((1000, 750)), RED)


def test_a_phone_photo_is_decoded_at_a_quarter_for_a_profile_picture():
    data = encode(Image.new("RGB", (6000, 4500), BLUE), "JPEG", quality=90)

    image = open_checked(data, min_short_side=1024, max_pixels=12_600_000)

    assert image.size == (1500, 1125)  # the shorter side stays at least 1024


def test_a_sequential_jpeg_above_the_cap_counts_the_pixels_it_is_decoded_at():
    data = encode(Image.new("RGB", (6000, 4500), BLUE), "JPEG", quality=90)  # 27 MP declared

    assert open_checked(data, min_short_side=1024, max_pixels=12_600_000).size == (1500, 1125)
    with pytest.raises(InvalidInput) as caught:  # decoded in full, it is above the cap
        open_checked(data, max_pixels=12_600_000)
    assert caught.value.message == "the image has too many pixels"
    assert caught.value.errors == {"image": ["at most 12.6 megapixels"]}


@pytest.mark.parametrize("params", [{"progressive": True}, {"progressive": True, "subsampling": 0}],
                         ids=["progressive", "progressive-444"])
def test_a_progressive_jpeg_counts_every_pixel_it_declares(params):
    # libjpeg keeps every coefficient of a progressive JPEG, whatever the scale it decodes at
    data = encode(Image.new("RGB", (6000, 4500), BLUE), "JPEG", quality=90, **params)

    with pytest.raises(InvalidInput) as caught:
        open_checked(data, min_short_side=1024, max_pixels=12_600_000)

    assert caught.value.message == "the image has too many pixels"


def test_no_picture_may_declare_more_than_image_max_pixels(settings):
    settings.IMAGE_MAX_PIXELS = 20_000_000
    data = encode(Image.new("RGB", (6000, 4500), BLUE), "JPEG", quality=90)  # 27 MP

    with pytest.raises(InvalidInput):
        open_checked(data, min_short_side=1024, max_pixels=12_600_000)


def test_the_exif_orientation_survives_a_reduced_scale():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display: the left half ends on top
    data = encode(halves((4000, 3000), RED, BLUE), "JPEG", quality=90, exif=exif)

    image = open_checked(data, min_long_side=WORK_MAX_SIDE)

    assert image.size == (1500, 2000)
    assert near(image.getpixel((750, 100)), RED)
    assert near(image.getpixel((750, 1900)), BLUE)


# --- Any format: reduced right after decoding -------------------------------------------------
def _rgba_picture(size=(2400, 1800)) -> Image.Image:
    """Colour gradients and a half-transparent, a transparent and an opaque region."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), Image.new("L", size, 90)))
    alpha = Image.new("L", size, 255)
    alpha.paste(128, (0, 0, size[0] // 3, size[1]))
    alpha.paste(0, (size[0] // 3, 0, size[0] // 2, size[1] // 2))
    image.putalpha(alpha)
    return image


def test_a_png_larger_than_needed_is_reduced_to_the_box_average_of_its_rgb_picture():
    source = _rgba_picture()
    data = encode(source, "PNG")

    image = open_checked(data, min_long_side=600)

    expected = image_to_rgb(source).reduce(4)
    assert image.size == expected.size == (600, 450)
    assert image.mode == "RGB"
    assert max(high for _, high in ImageChops.difference(image, expected).getextrema()) <= 1


@pytest.mark.parametrize("make", [
    lambda size: Image.new("RGB", size, (128, 128, 128)).quantize(8),
    lambda size: Image.new("I;16", size, 128 * 257),
    lambda size: Image.new("LA", size, (128, 255)),
], ids=["palette", "16-bit-grey", "grey-alpha"])
def test_other_png_modes_are_reduced_with_their_tones_kept(make):
    image = open_checked(encode(make((3000, 2000)), "PNG"), min_long_side=1000)

    assert image.size == (1000, 667)
    assert image.mode == "RGB"
    assert near(image.getpixel((500, 333)), (128, 128, 128), tolerance=6)


def test_a_reduced_picture_is_already_in_srgb_and_says_so():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGB", (2000, 1500), (200, 128, 60)), "PNG", icc_profile=srgb)

    image = open_checked(data, min_long_side=500)

    assert image.size == (500, 375)
    assert "icc_profile" not in image.info  # converted while reducing: callers must not convert again
    assert near(image.getpixel((250, 180)), (200, 128, 60), tolerance=3)


def test_the_exif_orientation_survives_a_reduction():
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(halves((2400, 1800), RED, BLUE), "PNG", exif=exif)

    image = open_checked(data, min_long_side=600)

    assert image.size == (450, 600)
    assert near(image.getpixel((225, 40)), RED)
    assert near(image.getpixel((225, 560)), BLUE)


def test_a_picture_no_bigger_than_needed_comes_back_as_it_is():
    data = encode(Image.new("RGBA", (1200, 900), (10, 20, 30, 255)), "PNG")

    image = open_checked(data, min_long_side=WORK_MAX_SIDE)

    assert image.size == (1200, 900)
    assert image.mode == "RGBA"
