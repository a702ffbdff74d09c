"""Photos decoded as phones send them: cheaply, whole, upright and in the colours the patient saw."""

import logging

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos import images

from .. import images as pictures

# What JPEG compression may move a colour by, in any channel.
JPEG_TOLERANCE = 4


def close(colour, expected, tolerance=JPEG_TOLERANCE) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def stored(upload) -> Image.Image:
    return pictures.opened(images.safe_image(upload).content)


# What a photo costs, and which are refused


def test_a_50_megapixel_pixel_photo_is_kept_decoded_at_half_its_side():
    kept = images.safe_image(pictures.pixel_50_mp_jpeg())

    with Image.open(pictures.pixel_50_mp_jpeg()) as header:
        assert header.size == pictures.PIXEL_50_MP
        assert images.decoded_pixels(header) == 4080 * 3072
    assert (kept.width, kept.height) == (2560, 1928)
    picture = pictures.opened(kept.content)
    # The darker mark drawn in the top left quarter is still there.
    assert close(picture.getpixel((100, 100)), (150, 60, 60), tolerance=8)
    assert close(picture.getpixel((2400, 1800)), (214, 160, 140), tolerance=8)


def test_a_photo_is_scaled_down_before_it_is_turned_and_its_colours_converted(monkeypatch):
    sizes = []
    convert = images.in_srgb

    def noting_the_size(image):
        sizes.append(image.size)
        return convert(image)

    monkeypatch.setattr(images, "in_srgb", noting_the_size)

    images.safe_image(pictures.pixel_50_mp_jpeg())

    assert sizes == [(2560, 1928)]


def test_a_200_megapixel_jpeg_costs_what_it_decodes_to_a_quarter_of_its_side():
    samsung_200_mp = pictures.jpeg_claiming((16320, 12240))

    assert images.photo_probe(samsung_200_mp) == 4080 * 3060


# Pillow warns of a possible bomb above our JPEG ceiling, as it should, before the check refuses it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(
    "upload",
    [
        pictures.jpeg_claiming((20000, 15000)),
        pictures.jpeg_claiming((8200, 6400), progressive=True),
        pictures.png_claiming((8200, 6400)),
        pictures.bomb(),
    ],
    ids=["a 300 MP JPEG", "a progressive 52.5 MP JPEG", "a 52.5 MP PNG", "a 400 MP PNG bomb"],
)
def test_a_picture_that_would_decode_to_too_many_pixels_is_refused_from_its_header(upload):
    with pytest.raises(ValidationError) as refused:
        images.photo_probe(upload)

    assert refused.value.code == "too_many_pixels"
    assert refused.value.messages == [str(images.TOO_MANY_PIXELS)]


def test_a_progressive_jpeg_counts_at_its_full_size_as_its_decoder_holds_it_all(monkeypatch):
    # Both 400 x 300; kept at 100 px, a baseline JPEG is decoded at a quarter of its side.
    monkeypatch.setattr(images, "STORED_SIDE", 100)
    monkeypatch.setattr(images, "MIN_SIDE", 50)

    assert images.photo_probe(pictures.jpeg_with_gps()) == 100 * 75
    assert images.photo_probe(pictures.progressive_jpeg()) == 400 * 300


def test_a_50_megapixel_png_is_within_the_bomb_limit():
    assert images.photo_probe(pictures.png_claiming(pictures.PIXEL_50_MP)) == 8160 * 6144


@pytest.mark.parametrize("size", [(1, 1), (320, 200)], ids=["a single pixel", "a strip 200 px high"])
def test_a_picture_too_small_to_show_skin_is_refused(size):
    with pytest.raises(ValidationError) as refused:
        images.safe_image(pictures.png(size=size))

    assert refused.value.messages == [str(images.TOO_SMALL)]


# Colours


def test_a_heif_whose_nclx_box_says_display_p3_keeps_its_reds():
    picture = stored(pictures.heic_display_p3())

    expected = pictures.display_p3_in_srgb(pictures.SKIN_RED)
    assert close(picture.getpixel((160, 120)), expected)
    # Read as if it were sRGB, the red would have lost most of its saturation.
    assert abs(expected[0] - pictures.SKIN_RED[0]) > 10


def test_a_cmyk_jpeg_is_converted_through_its_own_profile():
    picture = stored(pictures.cmyk_jpeg_with_profile())

    # The profile's full cyan, not the plain formula's (0, 255, 255).
    assert close(picture.getpixel((160, 120)), pictures.INKS["cyan"])


def test_a_grey_picture_is_converted_through_its_own_profile():
    picture = stored(pictures.grey_png_in_linear_light(level=128))

    # Half the light is a light grey in sRGB's curve.
    assert close(picture.getpixel((160, 120)), (188, 188, 188), tolerance=2)


def test_a_16_bit_grey_png_keeps_its_tones_rather_than_turning_white():
    picture = stored(pictures.grey_16_bit_png())

    assert picture.getextrema() != ((255, 255), (255, 255), (255, 255))
    assert close(picture.getpixel((40, 120)), (78, 78, 78), tolerance=2)
    assert close(picture.getpixel((280, 120)), (233, 233, 233), tolerance=2)


def test_a_profile_that_cannot_be_applied_is_logged_and_the_pixels_kept(caplog):
    upload = pictures.jpeg_with_gps()
    with Image.open(upload) as image:
        broken = image.copy()
    out = pictures.io.BytesIO()
    broken.save(out, format="JPEG", icc_profile=b"not a colour profile" * 20)

    with caplog.at_level(logging.WARNING, logger="photos.colour"):
        picture = stored(pictures.SimpleUploadedFile("IMG_0007.jpg", out.getvalue()))

    assert picture.size == (400, 300)
    assert [record.getMessage() for record in caplog.records] == [
        "A photo's colour profile could not be applied (cannot open profile from string): "
        "its pixels are kept as they are"
    ]


def test_an_hdr_heif_is_logged_as_not_converted(caplog):
    out = pictures.io.BytesIO()
    Image.new("RGB", (320, 240), pictures.SKIN_RED).save(
        out, format="HEIF", save_nclx_profile=True, color_primaries=9, transfer_characteristics=16
    )

    with caplog.at_level(logging.WARNING, logger="photos.colour"):
        stored(pictures.SimpleUploadedFile("IMG_0008.HEIC", out.getvalue()))

    assert "primaries 9, transfer 16" in caplog.records[0].getMessage()
