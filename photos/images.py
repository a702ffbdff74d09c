"""Photos from phones and tablets made safe to keep: checked by content, decoded within limits,
turned upright and written again as a plain JPEG with no metadata at all.

A phone's photo carries where it was taken (GPS), when, and on which device; a file named
.jpg may be anything. Nothing a patient or a member of staff uploads is stored as sent.

Decoding is the cost: a 50-megapixel photo is 150 MB of pixels. A JPEG is decoded straight to the
size that is kept (its decoder scales by 1/2, 1/4 or 1/8 as it reads: `draft`), every picture is
scaled down before it is turned and its colours converted, and the limit is on what will actually be
decoded, read from the header before any pixel is.
"""

import io
import struct
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .colour import in_srgb

pillow_heif.register_heif_opener()

# Read by what the file holds, whatever its name or the type the browser claims.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# Long side in pixels: enough to see a papule or a bruise's edge, a tenth of a phone's file.
STORED_SIDE = 2560
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 88
# Below this on its short side a picture cannot show skin: an icon, a thumbnail, a pixel.
MIN_SIDE = 240
# A baseline JPEG costs what it decodes to, after `draft`: its own size may be far larger. This
# ceiling keeps 200-megapixel phone photos (16,320 x 12,240) in, decoded at a quarter of their side.
JPEG_MAX_PIXELS = 256_000_000
# Pillow's own bomb check stops Image.open itself at twice this: set at the JPEG ceiling, so that
# the checks below, which know about draft, decide.
Image.MAX_IMAGE_PIXELS = JPEG_MAX_PIXELS

NOT_A_PHOTO = _("This file is not a photo we can read: send a JPEG, PNG, WebP or HEIC (iPhone) picture.")
TOO_LARGE = _(
    "This photo is %(size)s, more than the %(limit)s we accept: take it again with the camera button, "
    "or send a screenshot of it."
)
TOO_MANY_PIXELS = _(
    "This picture is too large to open safely: take it again with the camera button, or send a screenshot of it."
)
TOO_SMALL = _("This picture is too small to show your skin: take it again with the camera button.")
UNREADABLE = _("This photo could not be read completely: it may be damaged. Take it again.")
TOO_MUCH_AT_ONCE = _(
    "Together with the photos before it, this one is more than we open at once: send it again on its own."
)
# What a format's decoder raises on damaged data once the header looked right. Not every exception:
# a worker's time limit, or memory running out, is not the photo's fault, and passes through for
# the photo to be tried again.
DECODER_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    SyntaxError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
)


@dataclass(frozen=True)
class SafeImage:
    """A photo re-encoded without metadata, with its thumbnail; both JPEG."""

    content: bytes
    thumbnail: bytes
    width: int
    height: int


def photo_probe(upload) -> int:
    """The pixels this photo will decode to, read from its header alone; or a ValidationError saying
    why it will not be kept. Cheap enough for a web request: no pixel is decoded."""
    _check_size(upload)
    upload.seek(0)
    try:
        with Image.open(upload, formats=ACCEPTED_FORMATS) as image:
            return decoded_pixels(image)
    except UnidentifiedImageError:
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from None
    except Image.DecompressionBombError:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except DECODER_ERRORS:
        # A header that starts right and then breaks: the decoder would fail the same way.
        raise ValidationError(UNREADABLE, code="unreadable") from None


def safe_image(upload) -> SafeImage:
    """The upload as a metadata-free JPEG and thumbnail, or a ValidationError saying why not."""
    _check_size(upload)
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
        decoded_pixels(image)
        # Scaled first (the file is read here), then turned and its colours converted: a box is the
        # same turned or not, and the later steps then work on a sixth of the pixels.
        image.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
        upright = in_srgb(ImageOps.exif_transpose(image))
        thumbnail = upright.copy()
        thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        content, small = _jpeg(upright), _jpeg(thumbnail)
    except UnidentifiedImageError:
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from None
    except Image.DecompressionBombError:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except DECODER_ERRORS:
        raise ValidationError(UNREADABLE, code="unreadable") from None
    return SafeImage(content=content, thumbnail=small, width=upright.width, height=upright.height)


def decoded_pixels(image: Image.Image) -> int:
    """Set a JPEG to decode at the smallest scale that still gives the stored size, and return the
    pixels the decoder will then hold; refuse a picture too large or too small first.

    A progressive JPEG keeps every coefficient of the whole picture while it decodes, whatever the
    scale, so it counts at its full size, like every other format.
    """
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise ValidationError(TOO_SMALL, code="too_small")
    if image.format == "JPEG" and not image.info.get("progressive"):
        if width * height > JPEG_MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
        image.draft(image.mode, _fitted(image.size, STORED_SIDE))
    pixels = image.width * image.height
    if pixels > settings.PHOTO_MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
    return pixels


def _fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size within a `side` square, with the same shape: what `thumbnail` will make."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _check_size(upload) -> None:
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            TOO_LARGE % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)},
            code="too_large",
        )


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Pillow writes some of what it read (a comment, XMP) back unless told otherwise: written from
    # the pixels alone, no EXIF, GPS, XMP, ICC profile or comment goes with the photo.
    pixels = image.copy()
    pixels.info.clear()
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
