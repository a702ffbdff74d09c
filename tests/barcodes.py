"""Barcodes for the tests: GS1 DataMatrix and Code 39 symbols drawn with zxing-cpp, a video file of
one for Chromium's fake camera, HIBC data with its check character, and a code as a scanner set to
a US keyboard types it on a French one."""

from pathlib import Path

import zxingcpp
from PIL import Image

FRAME = (640, 480)


def gs1_datamatrix(content: str, scale: int = 8) -> Image.Image:
    """A GS1 DataMatrix (FNC1 first, as on a product's box) of `content` in brackets, on white."""
    symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
    drawn = Image.fromarray(symbol.to_image(scale=scale)).convert("RGB")
    frame = Image.new("RGB", FRAME, "white")
    frame.paste(drawn, ((FRAME[0] - drawn.width) // 2, (FRAME[1] - drawn.height) // 2))
    return frame


def code39(content: str, scale: int = 2) -> Image.Image:
    """A Code 39 barcode (standard, not full ASCII: HIBC's + $ / are its own characters), on white,
    in a frame as wide as it needs."""
    symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.Code39Std)
    drawn = Image.fromarray(symbol.to_image(scale=scale)).convert("RGB")
    frame = Image.new("RGB", ((drawn.width + 80) // 2 * 2, FRAME[1]), "white")
    frame.paste(drawn, ((frame.width - drawn.width) // 2, (frame.height - drawn.height) // 2))
    return frame


def hibc(data: str) -> str:
    """HIBC data and its check character: the sum of Code 39's values of its characters, modulo 43."""
    values = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
    return data + values[sum(values.index(character) for character in data) % 43]


def y4m(image: Image.Image, path: Path, frames: int = 10) -> Path:
    """The picture as a short YUV 4:2:0 video, the format Chromium plays as a fake camera."""
    width, height = image.size
    luma, blue, red = image.convert("YCbCr").split()
    chroma = [plane.resize((width // 2, height // 2)) for plane in (blue, red)]
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma.tobytes() + chroma[0].tobytes() + chroma[1].tobytes())
    return path


# The keys a US-layout scanner presses for each character, and what a French (AZERTY) keyboard
# types for them: unshifted, shifted, and the top row with Caps Lock (digits, as French Windows does).
_US_KEYS = "1234567890-=qwertyuiop[]asdfghjkl;'zxcvbnm,./"
_US_SHIFTED = '!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?'
_AZERTY = "&é\"'(-è_çà)=azertyuiop^$qsdfghjklmùwxcvbn,;:!"
_AZERTY_SHIFTED = "1234567890°+AZERTYUIOP¨£QSDFGHJKLM%WXCVBN?./§"


def typed_on_azerty(code: str, caps_lock: bool = False) -> str:
    typed = []
    for character in code:
        shifted = character in _US_SHIFTED
        key = (_US_SHIFTED if shifted else _US_KEYS).index(character)
        if caps_lock and key < 10:
            typed.append(_AZERTY[key] if shifted else _AZERTY_SHIFTED[key])
        else:
            french = (_AZERTY_SHIFTED if shifted else _AZERTY)[key]
            typed.append(french.swapcase() if caps_lock and french.isalpha() else french)
    return "".join(typed)
