"""Pictures as phones send them, made for the tests: with GPS in their EXIF, as HEIC, as bombs."""

import io
import os
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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


def png(name="screenshot.png", size=(200, 150)) -> SimpleUploadedFile:
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
