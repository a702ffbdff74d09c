"""Text messages in the GSM 03.38 alphabet, so that each costs one segment.

A text that holds a single character outside GSM-7 (a "ç", a curly apostrophe, a "Œ" in a clinic's
name) is sent whole in UCS-2, where a segment holds 70 characters instead of 160, and a check-in
text becomes two or three. Such characters are written in their nearest Latin letters instead.
"""

import math

import gsm0338  # noqa: F401 (registers the "gsm03.38" codec)
from anyascii import anyascii

GSM7 = "gsm03.38"
# One segment holds 160 septets; a longer text is split into segments of 153 (the rest is the header).
SINGLE_SEGMENT = 160
CONCATENATED_SEGMENT = 153
UCS2_SINGLE_SEGMENT = 70
UCS2_CONCATENATED_SEGMENT = 67


def _in_gsm7(text: str) -> bool:
    try:
        text.encode(GSM7)
    except UnicodeEncodeError:
        return False
    return True


def gsm7(text: str) -> str:
    """The text with every character outside GSM-7 transliterated ("ç" → "c", "’" → "'"), and
    dropped where even that is not GSM-7."""
    kept = []
    for character in text:
        if _in_gsm7(character):
            kept.append(character)
        else:
            kept.extend(c for c in anyascii(character) if _in_gsm7(c))
    return "".join(kept)


def segments(text: str) -> int:
    """How many segments the text costs: septets in GSM-7 (an extended character takes two),
    UTF-16 code units in UCS-2."""
    if _in_gsm7(text):
        septets = len(text.encode(GSM7))
        return 1 if septets <= SINGLE_SEGMENT else math.ceil(septets / CONCATENATED_SEGMENT)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= UCS2_SINGLE_SEGMENT else math.ceil(units / UCS2_CONCATENATED_SEGMENT)
