"""Barcodes for the tests: GS1 DataMatrix symbols drawn with zxing-cpp, and a video file of one for
Chromium's fake camera."""

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
