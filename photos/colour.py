"""A photo's colours as they were seen, in plain sRGB, since its colour profile is dropped with the
rest of its metadata.

Phones describe their colours in one of two ways: an ICC profile (iPhones' Display P3, a printer's
CMYK, a scanner's grey) or, in HEIF, an `nclx` box naming the primaries and the tone curve by number
(ITU-T H.273). A profile is applied to the picture in its own mode (CMYK, grey or RGB) before it
becomes RGB; an nclx box is turned into the matching RGB profile. Red skin is what staff judge: a P3
red read as if it were sRGB loses its saturation.
"""

import io
import logging
import struct

from PIL import Image, ImageCms

log = logging.getLogger(__name__)

# ICC profiles describe colours relative to D50; photos are made under D65.
D50 = (0.9642, 1.0, 0.8249)
BRADFORD = ((0.8951, 0.2664, -0.1614), (-0.7502, 1.7135, 0.0367), (0.0389, -0.0685, 1.0296))
# H.273 colour primaries that mean "as sRGB" (BT.709) or "not said": nothing to convert.
NCLX_AS_SRGB = {1, 2}
# H.273 transfer characteristics, as ICC parametric curves (g, a, b, c, d): Y = (aX + b)^g from
# X = d, Y = cX below. 13 is sRGB's curve (Display P3 uses it); 1, 6, 14 and 15 are BT.709's;
# 2 is "not said", read as sRGB's.
SRGB_CURVE = (2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
BT709_CURVE = (1 / 0.45, 1 / 1.099, 0.099 / 1.099, 1 / 4.5, 0.081)
NCLX_CURVES = {13: SRGB_CURVE, 2: SRGB_CURVE, 1: BT709_CURVE, 6: BT709_CURVE, 14: BT709_CURVE, 15: BT709_CURVE}
# The mode each kind of ICC profile describes, for the picture it is applied to.
PROFILE_MODES = {"RGB ": "RGB", "CMYK": "CMYK", "GRAY": "L"}


def in_srgb(image: Image.Image) -> Image.Image:
    """The picture as 8-bit sRGB, on white where it was transparent."""
    icc, nclx = image.info.get("icc_profile"), image.info.get("nclx_profile")
    image = _eight_bits(image)
    image = _on_white(image)
    if icc:
        image = _profile_applied(image, icc)
    elif nclx and nclx.get("color_primaries") not in NCLX_AS_SRGB:
        image = _nclx_applied(image, nclx)
    return image.convert("RGB")


def _eight_bits(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey (PNGs from scanners and some apps) scaled to 8 bits: converted as they
    are, every value above 255 would be clipped to white."""
    if image.mode not in ("I;16", "I;16B", "I;16L", "I"):
        return image
    # A 16-bit PNG's values run to 65535 whatever Pillow reads them into.
    return image.convert("I").point(lambda value: value / 257).convert("L")


def _on_white(image: Image.Image) -> Image.Image:
    """Transparency laid on white, in the picture's own colours (grey stays grey, for its profile)."""
    transparent = image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode in ("1", "P", "PA") or transparent:
        grey = image.mode in ("LA", "La", "1")
        target = "L" if grey else "RGB"
        if not transparent:
            return image.convert(target)
        with_alpha = image.convert("LA" if grey else "RGBA")
        background = Image.new(target, image.size, "white")
        background.paste(with_alpha.convert(target), mask=with_alpha.getchannel("A"))
        return background
    return image


def _profile_applied(image: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = source.profile.xcolor_space
        if PROFILE_MODES.get(space) != image.mode:
            log.warning("A photo's %r colour profile does not fit its %s pixels: kept as they are", space, image.mode)
            return image
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        log.warning("A photo's colour profile could not be applied (%s): its pixels are kept as they are", error)
        return image


def _nclx_applied(image: Image.Image, nclx: dict) -> Image.Image:
    curve = NCLX_CURVES.get(nclx.get("transfer_characteristics"))
    if curve is None or image.mode != "RGB":
        # HDR curves (PQ, HLG) need tone mapping, not a profile: the colours are kept as decoded.
        log.warning(
            "A photo's nclx colours (primaries %s, transfer %s) could not be applied: its pixels are kept as they are",
            nclx.get("color_primaries"),
            nclx.get("transfer_characteristics"),
        )
        return image
    primaries = [
        (nclx[f"color_primary_{name}_x"], nclx[f"color_primary_{name}_y"]) for name in ("red", "green", "blue", "white")
    ]
    return _profile_applied(image, rgb_profile(primaries[:3], primaries[3], curve))


def rgb_profile(primaries, white, curve) -> bytes:
    """An ICC v4 display profile for RGB with these xy primaries, white point and parametric tone
    curve: what an nclx box describes, in the form colour management reads."""
    columns = [[row[i] for row in pcs_matrix(primaries, white)] for i in range(3)]
    tags = [
        (b"desc", mluc_text("Recovery Desk RGB")),
        (b"cprt", mluc_text("No copyright, use freely")),
        (b"wtpt", xyz_values(D50)),
        (b"chad", _sf32(_bradford(_white_xyz(white), D50))),
        (b"rXYZ", xyz_values(columns[0])),
        (b"gXYZ", xyz_values(columns[1])),
        (b"bXYZ", xyz_values(columns[2])),
    ]
    trc = para_curve(curve)
    tags += [(b"rTRC", trc), (b"gTRC", trc), (b"bTRC", trc)]
    return icc_profile(tags)


def _white_xyz(white) -> tuple[float, float, float]:
    x, y = white
    return (x / y, 1.0, (1 - x - y) / y)


def _rgb_to_xyz(primaries, white) -> list[list[float]]:
    columns = [(x / y, 1.0, (1 - x - y) / y) for x, y in primaries]
    matrix = [[columns[c][r] for c in range(3)] for r in range(3)]
    scale = _apply(_inverse(matrix), _white_xyz(white))
    return [[matrix[r][c] * scale[c] for c in range(3)] for r in range(3)]


def pcs_matrix(primaries, white) -> list[list[float]]:
    """Linear RGB with these primaries to the XYZ of ICC profiles, adapted from its white to D50."""
    return _multiply(_bradford(_white_xyz(white), D50), _rgb_to_xyz(primaries, white))


def _bradford(source, target) -> list[list[float]]:
    cone_source, cone_target = _apply(BRADFORD, source), _apply(BRADFORD, target)
    scale = [[cone_target[i] / cone_source[i] if i == j else 0.0 for j in range(3)] for i in range(3)]
    return _multiply(_inverse(BRADFORD), _multiply(scale, BRADFORD))


def _apply(matrix, vector) -> list[float]:
    return [sum(matrix[r][c] * vector[c] for c in range(3)) for r in range(3)]


def _multiply(a, b) -> list[list[float]]:
    return [[sum(a[r][k] * b[k][c] for k in range(3)) for c in range(3)] for r in range(3)]


def _inverse(m) -> list[list[float]]:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    adjugate = [
        [e * i - f * h, c * h - b * i, b * f - c * e],
        [f * g - d * i, a * i - c * g, c * d - a * f],
        [d * h - e * g, b * g - a * h, a * e - b * d],
    ]
    return [[value / det for value in row] for row in adjugate]


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def xyz_values(values) -> bytes:
    return b"XYZ \0\0\0\0" + b"".join(_s15(v) for v in values)


def _sf32(matrix) -> bytes:
    return b"sf32\0\0\0\0" + b"".join(_s15(v) for row in matrix for v in row)


def para_curve(curve) -> bytes:
    return b"para\0\0\0\0" + struct.pack(">HH", 3, 0) + b"".join(_s15(v) for v in curve)


def mluc_text(text: str) -> bytes:
    encoded = text.encode("utf-16-be")
    return b"mluc\0\0\0\0" + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(encoded), 28) + encoded


def icc_profile(tags, *, device_class: bytes = b"mntr", colour_space: bytes = b"RGB ") -> bytes:
    """An ICC v4 profile of these (signature, content) tags, colours relative to D50 in XYZ."""
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = [], b""
    for signature, content in tags:
        padded = content + b"\0" * (-len(content) % 4)
        table.append(struct.pack(">4sII", signature, offset + len(data), len(content)))
        data += padded
    size = offset + len(data)
    header = struct.pack(
        ">I4sI4s4s4s12s4s4sI4s4s8sI12s4s16s28s",
        size,
        b"\0\0\0\0",
        0x04300000,
        device_class,
        colour_space,
        b"XYZ ",
        struct.pack(">6H", 2026, 1, 1, 0, 0, 0),
        b"acsp",
        b"\0\0\0\0",
        0,
        b"\0\0\0\0",
        b"\0\0\0\0",
        b"\0" * 8,
        0,
        b"".join(_s15(v) for v in D50),
        b"\0\0\0\0",
        b"\0" * 16,
        b"\0" * 28,
    )
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data
