"""Pictures as phones send them, made for the tests: with GPS in their EXIF, as HEIC, as bombs."""

import functools
import io
import itertools
import os
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos import colour

pillow_heif.register_heif_opener()

# Where the photo was taken, as a phone writes it: a patient's home, to the second.
GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.0)}
ORIENTATION_ROTATED = 6  # the camera held upright: the pixels are stored on their side
EXIF_GPS_IFD = 0x8825
EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F


def skin(size=(400, 300), colour=(214, 160, 140)) -> Image.Image:
    """A patch of skin-coloured pixels with a darker mark in one corner, so orientation shows."""
    image = Image.new("RGB", size, colour)
    image.paste((150, 60, 60), (0, 0, size[0] // 4, size[1] // 4))
    return image


def jpeg_with_gps(name="IMG_0001.jpg", size=(400, 300)) -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ORIENTATION_ROTATED
    exif[EXIF_MAKE] = "Apple"
    exif.get_ifd(EXIF_GPS_IFD).update(GPS)
    out = io.BytesIO()
    skin(size).save(out, format="JPEG", exif=exif, comment=b"taken at 12 Acacia Avenue")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def heic(name="IMG_0002.HEIC") -> SimpleUploadedFile:
    out = io.BytesIO()
    skin((320, 240)).save(out, format="HEIF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/heic")


def png(name="screenshot.png", size=(320, 240)) -> SimpleUploadedFile:
    out = io.BytesIO()
    skin(size).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def renamed_text(name="IMG_0003.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"#!/bin/sh\necho not a photo\n" * 40, content_type="image/jpeg")


def bomb(name="bomb.png", side=20_000) -> SimpleUploadedFile:
    """Some fifty kilobytes that decode to 400 megapixels: a real decompression bomb, every row of
    its black-and-white pixels compressed, written without ever holding them all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + side // 8)  # a filter byte, then one bit per pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, content, content_type="image/png")


def noise_jpeg(name="large.jpg", size=(1200, 1200)) -> SimpleUploadedFile:
    """A photo that compresses badly: random pixels make a large file."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def truncated_heic(name="IMG_0004.HEIC") -> SimpleUploadedFile:
    """An iPhone photo cut short in transfer: its header reads, its pixels do not."""
    whole = heic().read()
    return SimpleUploadedFile(name, whole[: len(whole) * 2 // 3], content_type="image/heic")


def truncated_jpeg(name="IMG_0005.jpg") -> SimpleUploadedFile:
    whole = jpeg_with_gps().read()
    return SimpleUploadedFile(name, whole[: len(whole) // 2], content_type="image/jpeg")


# What phones and other apps really send beyond plain sRGB photos.

SRGB_PRIMARIES = [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)]
D65_WHITE = (0.3127, 0.3290)
SKIN_RED = (200, 60, 60)


# A Google Pixel 8 Pro's 50-megapixel frame: 50,135,040 pixels.
PIXEL_50_MP = (8160, 6144)


@functools.cache
def _pixel_50_mp_jpeg() -> bytes:
    # Made once per test run: 150 MB of pixels to draw, 0.8 MB of JPEG.
    image = Image.new("RGB", PIXEL_50_MP, (214, 160, 140))
    image.paste((150, 60, 60), (0, 0, PIXEL_50_MP[0] // 4, PIXEL_50_MP[1] // 4))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def pixel_50_mp_jpeg(name="PXL_20260303_091500.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pixel_50_mp_jpeg(), content_type="image/jpeg")


def large_png(name="screenshot.png", size=(7000, 7000)) -> SimpleUploadedFile:
    """49 megapixels of flat colour in some 150 KB: cheap to send, costly to decode."""
    out = io.BytesIO()
    Image.new("RGB", size, (214, 160, 140)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def jpeg_claiming(size, name="IMG_2000.jpg", progressive=False) -> SimpleUploadedFile:
    """A JPEG whose header says it is `size`: its pixels are those of a small one, enough to check
    what a picture that large would cost before any of it is decoded."""
    out = io.BytesIO()
    skin((320, 240)).save(out, format="JPEG", progressive=progressive)
    data = bytearray(out.getvalue())
    frame = data.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    struct.pack_into(">HH", data, frame + 5, size[1], size[0])
    return SimpleUploadedFile(name, bytes(data), content_type="image/jpeg")


def png_claiming(size, name="huge.png") -> SimpleUploadedFile:
    """A PNG whose header says it is `size`, with one empty row of data: enough to be opened."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size[0], size[1], 8, 2, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")
    return SimpleUploadedFile(name, content, content_type="image/png")


def progressive_jpeg(name="progressive.jpg", size=(400, 300)) -> SimpleUploadedFile:
    out = io.BytesIO()
    skin(size).save(out, format="JPEG", progressive=True)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def heic_display_p3(name="IMG_0006.HEIC", colour=SKIN_RED) -> SimpleUploadedFile:
    """A HEIF whose colours are Display P3, said as Android phones say it: by an nclx box (P3
    primaries, sRGB's curve), with no ICC profile."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(
        out,
        format="HEIF",
        quality=100,
        chroma=444,
        save_nclx_profile=True,
        color_primaries=12,
        transfer_characteristics=13,
        matrix_coefficients=0,
        full_range_flag=1,
    )
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/heic")


def display_p3_in_srgb(colour) -> tuple[int, ...]:
    """What a Display P3 colour is in sRGB, worked out from the two spaces' primaries (both D65,
    both with sRGB's curve), not by the app's code."""
    p3_to_xyz = _rgb_to_xyz([(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)])
    xyz_to_srgb = _inverse(_rgb_to_xyz(SRGB_PRIMARIES))
    linear = [_linear(value / 255) for value in colour]
    xyz = [sum(p3_to_xyz[r][c] * linear[c] for c in range(3)) for r in range(3)]
    srgb = [sum(xyz_to_srgb[r][c] * xyz[c] for c in range(3)) for r in range(3)]
    return tuple(round(255 * _encoded(min(1.0, max(0.0, value)))) for value in srgb)


def _linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _encoded(value: float) -> float:
    return value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055


def _rgb_to_xyz(primaries) -> list[list[float]]:
    columns = [(x / y, 1.0, (1 - x - y) / y) for x, y in primaries]
    matrix = [[columns[c][r] for c in range(3)] for r in range(3)]
    white = (D65_WHITE[0] / D65_WHITE[1], 1.0, (1 - sum(D65_WHITE)) / D65_WHITE[1])
    scale = [sum(row[c] * white[c] for c in range(3)) for row in _inverse(matrix)]
    return [[matrix[r][c] * scale[c] for c in range(3)] for r in range(3)]


def _inverse(m) -> list[list[float]]:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    adjugate = [
        [e * i - f * h, c * h - b * i, b * f - c * e],
        [f * g - d * i, a * i - c * g, c * d - a * f],
        [d * h - e * g, b * g - a * h, a * e - b * d],
    ]
    return [[value / det for value in row] for row in adjugate]


# A printer's inks as the profile below describes them: what full cyan, magenta, yellow and black
# each let through of white paper, in sRGB. Far from what a plain conversion assumes (cyan 0,255,255).
INKS = {"cyan": (0, 160, 225), "magenta": (230, 0, 126), "yellow": (255, 236, 0), "black": (35, 31, 32)}


def cmyk_profile() -> bytes:
    """An ICC profile of a CMYK printing process: each corner of the ink cube (no ink, each ink,
    every overprint) as the inks above multiply on paper, interpolated between."""
    to_pcs = colour.pcs_matrix(SRGB_PRIMARIES, D65_WHITE)
    transmission = {ink: [_linear(value / 255) for value in rgb] for ink, rgb in INKS.items()}
    corners = []
    for inked in itertools.product((0, 1), repeat=4):
        linear = [1.0, 1.0, 1.0]
        for used, ink in zip(inked, ("cyan", "magenta", "yellow", "black"), strict=True):
            if used:
                linear = [a * b for a, b in zip(linear, transmission[ink], strict=True)]
        xyz = [sum(to_pcs[r][c] * linear[c] for c in range(3)) for r in range(3)]
        corners += [min(65535, round(value * 32768)) for value in xyz]
    identity = [1.0, 0, 0, 0, 1.0, 0, 0, 0, 1.0]
    lut = (
        b"mft2\0\0\0\0"
        + struct.pack(">BBBB", 4, 3, 2, 0)
        + b"".join(struct.pack(">i", round(v * 65536)) for v in identity)
        + struct.pack(">HH", 2, 2)
        + struct.pack(">8H", *([0, 65535] * 4))
        + struct.pack(f">{len(corners)}H", *corners)
        + struct.pack(">6H", *([0, 65535] * 3))
    )
    tags = [
        (b"desc", colour.mluc_text("Test inks")),
        (b"cprt", colour.mluc_text("No copyright")),
        (b"wtpt", colour.xyz_values(colour.D50)),
        (b"A2B0", lut),
    ]
    return colour.icc_profile(tags, device_class=b"scnr", colour_space=b"CMYK")


def cmyk_jpeg_with_profile(name="print-proof.jpg") -> SimpleUploadedFile:
    """Full cyan in a CMYK JPEG that carries its printing profile, as a scan or a print proof does."""
    out = io.BytesIO()
    Image.new("CMYK", (320, 240), (255, 0, 0, 0)).save(out, format="JPEG", quality=95, icc_profile=cmyk_profile())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def grey_png_in_linear_light(name="scan.png", level=128) -> SimpleUploadedFile:
    """A grey PNG whose profile says its values are linear light (gamma 1): a mid value is a light grey."""
    tags = [
        (b"desc", colour.mluc_text("Linear grey")),
        (b"cprt", colour.mluc_text("No copyright")),
        (b"wtpt", colour.xyz_values(colour.D50)),
        (b"kTRC", colour.para_curve((1.0, 1.0, 0.0, 1.0, 0.0))),
    ]
    profile = colour.icc_profile(tags, colour_space=b"GRAY")
    out = io.BytesIO()
    Image.new("L", (320, 240), level).save(out, format="PNG", icc_profile=profile)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def grey_16_bit_png(name="scan-16bit.png") -> SimpleUploadedFile:
    """A 16-bit greyscale PNG, as scanners and some apps write: a dark half and a light half."""
    row = struct.pack("<160H", *[20000] * 160) + struct.pack("<160H", *[60000] * 160)
    image = Image.frombytes("I;16", (320, 240), row * 240)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
