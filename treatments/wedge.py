"""What a handheld scanner does to a code when it types it as keystrokes (a "keyboard wedge"), as
clinics have them, and what staff are told to set on the scanner.

The group separator (byte 29) that ends a lot has no key: scanners type it as Ctrl+] or Alt+029
(static/js/scanner.js turns both back into the separator), as the text <GS> or {GS}, or as byte
232, the DataMatrix codeword for FNC1; some drop it altogether, and a lot then runs on into the
element after it (Odoo PR 99730, Bark-JS PR 14, zxing issue 1919 tell the same stories).

Most scanners ship typing as a US keyboard. On a French (AZERTY) computer the top row's digits then
arrive as & é " ' ( - è _ ç à, and "]" as "$" (Morovia's knowledge base on scanned data displayed
wrongly; French till software's help on accented characters from scanners). Caps Lock, the usual
workaround, brings the digits through, but A and Q, Z and W still swap, "-" still arrives as ")",
and the letters' case flips.
"""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

GROUP_SEPARATOR = "\x1d"
SEPARATOR_STAND_INS = ("<GS>", "{GS}", "\xe8")

FRENCH_KEYBOARD = _(
    "The scanner types as a US keyboard, but this computer's keyboard is French (AZERTY), so the code arrived "
    "garbled. Set the scanner to the French keyboard: scan the “France” or “AZERTY” keyboard code in the "
    "scanner's manual, then scan the box again."
)
CAPS_LOCK_LOT = _(
    "The lot came through as “%(lot)s”, as it does with Caps Lock on: a scanner's capitals arrive in small "
    "letters and, on a French keyboard, its “-” as “)”. Turn Caps Lock off and scan again. If the box really "
    "prints “%(lot)s”, add the batch by hand on the product's page."
)
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
# é, ç and à are in no GS1 or HIBC code: they are a US keyboard's 2, 9 and 0 typed on a French one
# (è, its 7, is also byte 232 standing in for the separator). A code starting "$" and a letter is a
# symbology identifier ("]d2", "]C1") whose "]" came through as "$".
_FRENCH_KEYBOARD_SIGNS = re.compile(r"[éçàÉÇÀ]|^\$[A-Za-z]")
# A date element inside a lot: its two digits, then YYMMDD (day 00 is the month's last day).
_DATE_INSIDE = re.compile(r"(?=(1[1-7])(\d\d)(0[1-9]|1[0-2])(\d\d))")
# A serial number element inside a lot: some of the lot, 21, then a serial of a few characters.
_SERIAL_INSIDE = re.compile(r"^.{3,}?21(.{4,})$")


def typed_on_a_french_keyboard(text: str) -> bool:
    return bool(_FRENCH_KEYBOARD_SIGNS.search(text))


def lot_through_caps_lock(lot: str) -> bool:
    """Lots are printed in capitals, and brackets in a lot come in pairs: a lot in small letters only,
    or with a ")" and no "(", is a lot typed with Caps Lock on, which would go into stock as another lot."""
    letters = [character for character in lot if character.isalpha()]
    small_only = bool(letters) and all(letter.islower() for letter in letters)
    return small_only or (")" in lot and "(" not in lot)


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
