"""Pictures for the demo: a patch of skin with as much redness as a report says, drawn, not taken."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

SKIN_TONES = [(233, 196, 172), (214, 168, 140), (186, 134, 104), (141, 95, 70)]
# How strongly the flush shows at each severity: none, mild, moderate, severe.
FLUSH = [0, 70, 130, 190]
SIZE = (960, 720)


def skin_photo(*, severity: int, seed: int, patient_id, marks: bool = False) -> SimpleUploadedFile:
    """A JPEG of skin with a flush of the given severity; `marks`: the session's injection points.
    The same patient's skin is the same tone in every photo."""
    rng = random.Random(seed)
    skin = Image.new("RGB", SIZE, SKIN_TONES[patient_id.int % len(SKIN_TONES)])
    texture = Image.effect_noise(SIZE, 12).convert("RGB")
    skin = Image.blend(skin, texture, 0.06)
    flush = Image.new("L", SIZE, 0)
    centre = (SIZE[0] // 2 + rng.randint(-60, 60), SIZE[1] // 2 + rng.randint(-40, 40))
    ImageDraw.Draw(flush).ellipse(
        (centre[0] - 260, centre[1] - 170, centre[0] + 260, centre[1] + 170), fill=FLUSH[min(severity, 3)]
    )
    skin.paste(Image.new("RGB", SIZE, (196, 58, 62)), mask=flush.filter(ImageFilter.GaussianBlur(70)))
    if marks:
        draw = ImageDraw.Draw(skin)
        for _ in range(60):
            x, y = centre[0] + rng.randint(-220, 220), centre[1] + rng.randint(-140, 140)
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(170, 70, 72))
    out = io.BytesIO()
    skin.save(out, format="JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")
