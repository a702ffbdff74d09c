"""HIBC labels (Health Industry Bar Code), one of the FDA's three UDI formats, common on US device
labels, cannulas and needles, printed as Code 39, Code 128, DataMatrix or QR.

Read from ANSI/HIBC 2.6, the HIBC Supplier Labeling Standard (HIBCC): its structure as the FDA's
"UDI formats by FDA-accredited issuing agency" (v1.3, 2017) sets it out, and the standard's worked
examples (sections 2.2.1.1, 2.3.2 and 4.3, appendices B, C, E and F) as the tests of
tecnickcom/tc-lib-barcode quote them; Code 39's character values are those of ISO/IEC 16388.

A code is "+", then
- the primary data: the labeler code (a letter and three letters or digits), the product number (1
  to 18 letters or digits) and the unit of measure (a digit): the product, as Product.hibc keeps it;
- after "/", the secondary data: the lot (or serial number) and its expiry, in one of the formats
  below; then supplemental fields, each after "/": S serial number, 14D expiry and 16D production
  date as YYYYMMDD, Q quantity (last);
- the check character: the sum of the Code 39 values of every character from the "+", modulo 43.
The secondary data may be a barcode of its own ("+", a digit or "$", ..., then a link character
and the check character): without the product, the app cannot use it.

Secondary data: YYJJJ and the lot (superseded); "$" lot; "$+" serial; "$$" expiry and lot, and
"$$+" expiry and serial, the expiry's format given by its first digit: 0 or 1 MMYY (the digit is
the month's), 2 MMDDYY, 3 YYMMDD, 4 YYMMDDHH, 5 YYJJJ, 6 YYJJJHH, 7 none. JJJ is the day of the year;
an expiry to the month is its last day.
"""

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE39 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"

MISREAD = _("This HIBC code fails its check character: it was misread, scan it again.")
UNREADABLE = _(
    "This HIBC code does not read as the HIBC standard writes a product label: scan the box's other barcode, "
    "or add the batch by hand on the product's page."
)
LOT_AND_EXPIRY_ONLY = _(
    "This HIBC barcode holds the lot and expiry but not the product: scan the box's code that holds both "
    "(often the square DataMatrix), or add the batch by hand on the product's page."
)
PROVIDER_LABEL = _("This is a hospital's own HIBC label, not the manufacturer's: scan the product's own label.")
SMALL_LETTERS = _(
    "This code came through in small letters, as it does with Caps Lock on: turn Caps Lock off and scan again."
)
BAD_DATE = _("The %(element)s in this code is incomplete or impossible: scan the box again.")
TWO_VALUES = _("This code holds two different values for %(element)s: scan the box's own label.")
PRODUCT_CODE_INVALID = _(
    "Enter the HIBC product code as printed after the + of the box's HIBC code: the labeler code (a letter and "
    "three letters or digits), the product number and the unit of measure (a digit), such as A99912345."
)

# A scanner's symbology identifier: ]A Code 39, ]C Code 128, ]d DataMatrix, ]Q QR code.
_IDENTIFIER = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_PRODUCT = re.compile(r"^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$")
_LOT = re.compile(r"^[A-Z0-9 .-]{0,18}$")
_SERIAL = re.compile(r"^[A-Z0-9 .-]{1,18}$")
# The digits of each expiry format after "$$", by its flag.
_EXPIRY_DIGITS = {"0": 4, "1": 4, "2": 7, "3": 7, "4": 9, "5": 6, "6": 8, "7": 1}


class HibcLabel(NamedTuple):
    product: str
    lot: str = ""
    expiry: date | None = None
    serial: str = ""


def data_of(text: str) -> str | None:
    """The HIBC data of a code, with its check character, if it is one: after a scanner's symbology
    identifier and within Code 39's start and stop characters (*), which some scanners send."""
    identifier = _IDENTIFIER.match(text)
    data = text[3:] if identifier else text
    if len(data) > 2 and data[0] == data[-1] == "*":
        data = data[1:-1]
    if not data.startswith("+"):
        return None
    # ]A3: a Code 39 scanner that checked the mod 43 character, HIBC's own, and left it out.
    return data + check_character(data) if identifier and identifier.group() == "]A3" else data


def check_character(data: str) -> str:
    return CODE39[sum(CODE39.index(character) for character in data) % 43]


def read(code: str) -> HibcLabel:
    """The product, lot, expiry and serial number of an HIBC code (as data_of gives it), or a
    ValidationError saying why not."""
    if any(character.islower() for character in code):
        raise ValidationError(SMALL_LETTERS, code="caps_lock")
    if len(code) < 3 or any(character not in CODE39 for character in code):
        raise ValidationError(UNREADABLE, code="unreadable")
    if code[-1] != check_character(code[:-1]) and check_character(code) == " ":
        # The check character was a space, which text boxes and forms strip from the end.
        code += " "
    data = code[:-1]
    if code[-1] != check_character(data):
        raise ValidationError(MISREAD, code="check_character")
    if data.startswith("+/"):
        raise ValidationError(PROVIDER_LABEL, code="provider")
    if data[1].isdigit() or data[1] == "$":
        raise ValidationError(LOT_AND_EXPIRY_ONLY, code="secondary_only")
    product, slash, secondary = data[1:].partition("/")
    if not _PRODUCT.match(product) or (slash and not secondary):
        raise ValidationError(UNREADABLE, code="unreadable")
    if not secondary:
        return HibcLabel(product)
    first, *supplemental = secondary.split("/")
    lot, serial, expiry = _secondary(first)
    for place, field in enumerate(supplemental, start=1):
        serial, expiry = _supplemental(field, serial=serial, expiry=expiry, last=place == len(supplemental))
    return HibcLabel(product, lot=lot, expiry=expiry, serial=serial)


def product_code_normalised(value: str) -> str:
    """A product's HIBC code as typed on its page: the + left out, in capitals."""
    code = value.strip().removeprefix("+").upper()
    if not _PRODUCT.match(code):
        raise ValidationError(PRODUCT_CODE_INVALID, code="invalid_hibc")
    return code


def _secondary(field: str) -> tuple[str, str, date | None]:
    """The lot, serial number and expiry of the secondary data."""
    if field.startswith("$$"):
        is_serial = field.startswith("$$+")
        rest = field[3:] if is_serial else field[2:]
        width = _EXPIRY_DIGITS.get(rest[:1])
        if width is None or len(rest) < width:
            raise ValidationError(UNREADABLE, code="unreadable")
        expiry, number = _expiry(rest[:width]), rest[width:]
        return ("", _serial(number), expiry) if is_serial else (_lot(number), "", expiry)
    if field.startswith("$+"):
        return "", _serial(field[2:]), None
    if field.startswith("$"):
        return _lot(field[1:]), "", None
    if len(field) >= 5 and field[:5].isdigit():
        return _lot(field[5:]), "", _julian(field[:5])
    raise ValidationError(UNREADABLE, code="unreadable")


def _supplemental(field: str, *, serial: str, expiry: date | None, last: bool) -> tuple[str, date | None]:
    if field.startswith("S"):
        return _agreed(serial, _serial(field[1:]), _("serial number")), expiry
    if field.startswith("14D"):
        return serial, _agreed(expiry, _yyyymmdd(field[3:], _("expiry date")), _("expiry date"))
    if field.startswith("16D"):
        _yyyymmdd(field[3:], _("production date"))
        return serial, expiry
    if field.startswith("Q") and field[1:].isdigit() and last:
        return serial, expiry
    raise ValidationError(UNREADABLE, code="unreadable")


def _agreed(known, new, element):
    if known and new != known:
        raise ValidationError(TWO_VALUES % {"element": element}, code="two_values")
    return new


def _lot(value: str) -> str:
    if not _LOT.match(value):
        raise ValidationError(UNREADABLE, code="unreadable")
    return value


def _serial(value: str) -> str:
    if not _SERIAL.match(value):
        raise ValidationError(UNREADABLE, code="unreadable")
    return value


def _expiry(digits: str) -> date | None:
    """The expiry after "$$", by its format's flag (its first digit)."""
    flag = digits[0]
    if flag == "7":
        return None
    if not digits.isdigit():
        raise _bad_date(_("expiry date"))
    if (flag == "4" and digits[7:9] > "23") or (flag == "6" and digits[6:8] > "23"):
        raise _bad_date(_("expiry date"))
    if flag in "01":
        return _month_end(year=digits[2:4], month=digits[0:2])
    if flag == "2":
        return _day(year=digits[5:7], month=digits[1:3], day=digits[3:5])
    if flag in "34":
        return _day(year=digits[1:3], month=digits[3:5], day=digits[5:7])
    return _julian(digits[1:6])


def _month_end(*, year: str, month: str) -> date:
    try:
        return date(2000 + int(year), int(month), calendar.monthrange(2000 + int(year), int(month))[1])
    except (ValueError, calendar.IllegalMonthError):
        raise _bad_date(_("expiry date")) from None


def _day(*, year: str, month: str, day: str) -> date:
    try:
        return date(2000 + int(year), int(month), int(day))
    except ValueError:
        raise _bad_date(_("expiry date")) from None


def _julian(digits: str) -> date:
    year, day = 2000 + int(digits[:2]), int(digits[2:])
    if not 1 <= day <= (366 if calendar.isleap(year) else 365):
        raise _bad_date(_("expiry date"))
    return date(year, 1, 1) + timedelta(days=day - 1)


def _yyyymmdd(digits: str, element) -> date:
    try:
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _bad_date(element) from None


def _bad_date(element) -> ValidationError:
    return ValidationError(BAD_DATE % {"element": element}, code="bad_date")
