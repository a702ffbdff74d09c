"""Photos from phones and tablets made safe to keep: checked by content, decoded within limits,
turned upright and written again as a plain JPEG with no metadata at all.

A phone's photo carries where it was taken (GPS), when, and on which device; a file named
.jpg may be anything. Nothing a patient or a member of staff uploads is stored as sent.
"""

import io
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Read by what the file holds, whatever its name or the type the browser claims.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# Long side in pixels: enough to see a papule or a bruise's edge, a tenth of a phone's file.
STORED_SIDE = 2560
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 88

NOT_A_PHOTO = _("This file is not a photo we can read: send a JPEG, PNG, WebP or HEIC (iPhone) picture.")
TOO_LARGE = _("This photo is %(size)s: send one of at most %(limit)s.")
TOO_MANY_PIXELS = _("This picture has too many pixels to open safely: send a photo straight from a camera.")
UNREADABLE = _("This photo could not be read completely: it may be damaged. Take it again.")


@dataclass(frozen=True)
class SafeImage:
    """A photo re-encoded without metadata, with its thumbnail; both JPEG."""

    content: bytes
    thumbnail: bytes
    width: int
    height: int


def safe_image(upload) -> SafeImage:
    """The upload as a metadata-free JPEG and thumbnail, or a ValidationError saying why not."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            TOO_LARGE % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    try:
        image = Image.open(upload, formats=ACCEPTED_FORMATS)
        if image.width * image.height > settings.PHOTO_MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
        upright = _in_srgb(ImageOps.exif_transpose(image))
        upright.thumbnail((STORED_SIDE, STORED_SIDE), Image.Resampling.LANCZOS)
        thumbnail = upright.copy()
        thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        content, small = _jpeg(upright), _jpeg(thumbnail)
    except UnidentifiedImageError:
        raise ValidationError(NOT_A_PHOTO, code="not_a_photo") from None
    except Image.DecompressionBombError:
        # Pillow's own limit, far above ours, for a header it refuses to even read.
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except ValidationError:
        raise
    except Exception:
        # Damaged data fails while decoding, after the header looked right, with whatever error
        # the format's decoder raises (OSError, EOFError, RuntimeError, ...): all mean the same.
        raise ValidationError(UNREADABLE, code="unreadable") from None
    return SafeImage(content=content, thumbnail=small, width=upright.width, height=upright.height)


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours as they were seen: an iPhone's Display P3 photo turned into plain sRGB, since the
    colour profile is dropped with the rest of the metadata. Transparency goes onto white."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    image = image.convert("RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # A broken profile: the pixels as they are are still the best we have.
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Pillow writes some of what it read (a comment, XMP) back unless told otherwise: written from
    # the pixels alone, no EXIF, GPS, XMP, ICC profile or comment goes with the photo.
    pixels = image.copy()
    pixels.info.clear()
    pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
