"""What a handheld scanner does to a code when it types it as keystrokes (a "keyboard wedge"), as
clinics have them, and what staff are told to set on the scanner.

The group separator (byte 29) that ends a lot has no key: scanners type it as Ctrl+] or Alt+029
(static/js/scanner.js turns both back into the separator), as the text <GS> or {GS}, or as byte
232, the DataMatrix codeword for FNC1; some drop it altogether, and a lot then runs on into the
element after it (Odoo PR 99730, Bark-JS PR 14, zxing issue 1919 tell the same stories).
"""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

GROUP_SEPARATOR = "\x1d"
SEPARATOR_STAND_INS = ("<GS>", "{GS}", "\xe8")

LOST_SEPARATOR_BEFORE_DATE = _(
    "The scanner dropped the separator after the lot: the lot read, “%(lot)s”, runs on into the box's "
    "%(element)s. Set the scanner to send the group separator (GS, ASCII 29: see its manual), or scan with "
    "the camera."
)
LOST_SEPARATOR_BEFORE_SERIAL = _(
    "The scanner seems to have dropped the separator between the lot and the serial number: the lot read, "
    "“%(lot)s”, runs on into “21%(serial)s”. Set the scanner to send the group separator (GS, ASCII 29: see "
    "its manual), or scan with the camera. If the box really prints the lot “%(lot)s”, add the batch by hand "
    "on the product's page."
)
DATE_ELEMENTS = {
    "11": _("production date"),
    "12": _("due date"),
    "13": _("packaging date"),
    "15": _("best-before date"),
    "16": _("sell-by date"),
    "17": _("expiry date"),
}
# A date element inside a lot: its two digits, then YYMMDD (day 00 is the month's last day).
_DATE_INSIDE = re.compile(r"(?=(1[1-7])(\d\d)(0[1-9]|1[0-2])(\d\d))")
# A serial number element inside a lot: some of the lot, 21, then a serial of a few characters.
_SERIAL_INSIDE = re.compile(r"^.{3,}?21(.{4,})$")


def separators_restored(text: str) -> str:
    for stand_in in SEPARATOR_STAND_INS:
        text = text.replace(stand_in, GROUP_SEPARATOR)
    return text


def lost_separator(lot: str) -> str | None:
    """Why a lot read from a code without any separator looks like a lot that ran on into the next
    element, if it does. A lot ending the code needs no separator, so a scanner that drops them goes
    unseen until the lot holds what follows it: a date element, or 21 and a serial number."""
    for found in _DATE_INSIDE.finditer(lot, 1):
        ai, year, month, day = found.groups()
        if ai in DATE_ELEMENTS and _is_a_day(int(year), int(month), int(day)):
            return LOST_SEPARATOR_BEFORE_DATE % {"lot": lot, "element": DATE_ELEMENTS[ai]}
    if serial := _SERIAL_INSIDE.match(lot):
        return LOST_SEPARATOR_BEFORE_SERIAL % {"lot": lot, "serial": serial.group(1)}
    return None


def _is_a_day(year: int, month: int, day: int) -> bool:
    try:
        date(2000 + year, month, max(day, 1))
    except ValueError:
        return False
    return True
