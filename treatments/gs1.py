"""GS1 labels on the boxes of injectable products, read with biip: the product's GTIN (01), the lot
(10), the expiry (17, day 00 meaning the month's last day, or the date of 7003, expiry date and
time) and the serial number (21).

A code arrives raw, with its group separators, as the camera's decoder (static/js/scanner.js) or
a handheld scanner gives it, often after a symbology identifier such as "]d2" (DataMatrix) or
"]C1" (GS1-128); in brackets, as printed under the barcode; or as a GS1 Digital Link in a QR code.
What a scanner typing as a keyboard does to a code is read through in treatments.wedge.
"""

import re
from dataclasses import dataclass
from datetime import date

from biip import ParseError, parse
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import hibc, wedge

NO_CODE = _("Scan the box's code, or type it.")
UNREADABLE_CODE = _(
    "This code is not a product label the app can read: scan the box's own barcode (usually the square "
    "DataMatrix), or add the batch by hand on the product's page."
)
UNKNOWN_ELEMENT = _("This code holds an element GS1 does not define: scan the product's own label.")
BAD_ELEMENT = _("The %(element)s in this code is incomplete or impossible: scan the box again.")
NO_GTIN = _("This code has no product number (GTIN): scan the code that also holds the lot and expiry.")
ONLY_GTIN = _(
    "This barcode holds only the product number: scan the code that also holds the lot and expiry "
    "(usually the square DataMatrix)."
)
BAD_CHECK_DIGIT = _("The product number %(gtin)s fails its check digit: the code was misread, scan it again.")
TWO_VALUES = _("This code holds two different values for %(element)s: scan the box's own label.")
GTIN_INVALID = _(
    "Enter the 8, 12, 13 or 14 digits of the GTIN printed under the barcode: the last digit checks the others, "
    "so a mistyped digit is found."
)
BRACKETS_UNCLEAR = _(
    "The brackets in this code cannot be read for sure, as a lot or serial number may hold brackets of its "
    "own: scan the box again with the camera or a handheld scanner, or add the batch by hand on the product's "
    "page."
)
_LINK = re.compile(r"^(?:\]Q1)?(https?://[^/?#]*)(.*)$", re.IGNORECASE | re.DOTALL)
# What staff call the elements a code may hold, to say which one did not read.
ELEMENT_NAMES = {
    "01": _("product number (GTIN)"),
    "10": _("lot number"),
    "11": _("production date"),
    "15": _("best-before date"),
    "17": _("expiry date"),
    "21": _("serial number"),
    "7003": _("expiry date and time"),
}


@dataclass(frozen=True)
class Label:
    """What a box's code says: its product by GTIN (GS1) or by HIBC product code, lot, expiry, serial."""

    gtin: str = ""
    lot: str = ""
    expiry: date | None = None
    serial: str = ""
    hibc: str = ""

    @property
    def product_code(self) -> str:
        if self.hibc:
            return str(_("HIBC product code %(code)s") % {"code": self.hibc})
        return str(_("GTIN %(code)s") % {"code": self.gtin})


def gtin_normalised(value: str) -> str:
    """A GTIN of 8, 12, 13 or 14 digits as the 14 digits GS1 codes carry, or a ValidationError."""
    try:
        return Gtin.parse(value.strip()).as_gtin_14()
    except ParseError:
        raise ValidationError(GTIN_INVALID, code="invalid_gtin") from None


def label_read(code: str) -> Label:
    """The product, lot, expiry and serial number of a GS1 (or HIBC) code, or a ValidationError
    saying why not."""
    text = code.strip()
    if not text:
        raise ValidationError(NO_CODE, code="empty")
    if wedge.typed_on_a_french_keyboard(text):
        raise ValidationError(wedge.FRENCH_KEYBOARD, code="french_keyboard")
    if (data := hibc.data_of(text)) is not None:
        found = hibc.read(data)
        return Label(hibc=found.product, lot=found.lot, expiry=found.expiry, serial=found.serial)
    text = wedge.separators_restored(text)
    elements, raw = _elements(text)
    by_ai = {}
    for element in elements:
        if by_ai.setdefault(element.ai.ai, element).value != element.value:
            name = ELEMENT_NAMES.get(element.ai.ai, element.ai.data_title)
            raise ValidationError(TWO_VALUES % {"element": name}, code="two_values")
    if "01" not in by_ai:
        raise ValidationError(NO_GTIN, code="no_gtin")
    if by_ai["01"].gtin_error:
        raise ValidationError(BAD_CHECK_DIGIT % {"gtin": by_ai["01"].value}, code="check_digit")
    expiries = {element.date for ai, element in by_ai.items() if ai in ("17", "7003")}
    if len(expiries) > 1:
        raise ValidationError(TWO_VALUES % {"element": ELEMENT_NAMES["17"]}, code="two_values")
    lot = by_ai["10"].value if "10" in by_ai else ""
    if raw and wedge.GROUP_SEPARATOR not in text and (lost := wedge.lost_separator(lot)):
        raise ValidationError(lost, code="lost_separator")
    return Label(
        gtin=by_ai["01"].value,
        lot=lot,
        expiry=expiries.pop() if expiries else None,
        serial=by_ai["21"].value if "21" in by_ai else "",
    )


def _elements(text: str) -> tuple[list[GS1ElementString], bool]:
    """The elements of a code written in brackets, as a Digital Link or raw, and whether it was raw."""
    only_gtin = False
    try:
        if text.startswith("("):
            elements = GS1Message.parse_hri(text).element_strings
            # biip skips what does not look like an element, such as the (1) of a lot AB(1).
            if "".join(f"({element.ai.ai}){element.value}" for element in elements) != text:
                raise ValidationError(BRACKETS_UNCLEAR, code="brackets")
            return elements, False
        result = parse(_digital_link(text))
        only_gtin = result.gtin is not None
        if result.gs1_message and "01" in {e.ai.ai for e in result.gs1_message.element_strings}:
            return result.gs1_message.element_strings, True
        if result.gs1_digital_link_uri:
            return result.gs1_digital_link_uri.element_strings, False
        if result.gs1_message:
            # A retail barcode's digits can also read as other elements: what it is, is a GTIN alone.
            raise ValidationError(ONLY_GTIN if only_gtin else NO_GTIN, code="no_gtin")
        raise ParseError(result.gs1_message_error or result.gs1_digital_link_uri_error or text)
    except ParseError as error:
        if only_gtin:
            raise ValidationError(ONLY_GTIN, code="no_gtin") from None
        if wedge.GROUP_SEPARATOR not in text and (lost := _lot_ran_on(str(error), text)):
            raise ValidationError(lost, code="lost_separator") from None
        raise _refusal(str(error), text) from None


def _digital_link(text: str) -> str:
    """A Digital Link as scanners give it: after a plain QR code's symbology identifier ]Q1, and with
    its scheme and host in capitals, which are the same address (RFC 3986) but biip does not read."""
    if link := _LINK.match(text):
        return link.group(1).lower() + link.group(2)
    return text


def _lot_ran_on(error: str, text: str) -> str | None:
    """Why a raw code biip stopped reading looks like a lot that ran on into the next elements, if it
    does: a lot is cut at its 20 characters, and what follows rarely reads as an element."""
    rest = next((text[cut:] for cut in range(1, len(text)) if f"from {text[cut:]!r}" in error), "")
    if not rest:
        return None
    result = parse(text[: -len(rest)])
    lots = [e.value for e in result.gs1_message.element_strings if e.ai.ai == "10"] if result.gs1_message else []
    return wedge.lost_separator(lots[0]) if lots else None


def _refusal(error: str, text: str) -> ValidationError:
    """Why biip could not read the code, in staff words: its own message quotes patterns and code."""
    if broken := re.search(r"GS1 AI \((\d+)\)", error):
        ai = broken.group(1)
        element = ELEMENT_NAMES.get(ai) or _("element (%(ai)s)") % {"ai": ai}
        return ValidationError(BAD_ELEMENT % {"element": element}, code="bad_element")
    if _unknown_element(error, text):
        return ValidationError(UNKNOWN_ELEMENT, code="unknown_ai")
    return ValidationError(UNREADABLE_CODE, code="unreadable")


def _unknown_element(error: str, text: str) -> bool:
    """Whether biip stopped at an element it does not know, after reading the ones before it. The
    bracketed form names the identifier; the raw form gives the rest it could not read (quoted as
    Python quotes it), which is not the whole code when the elements before it were read."""
    if "Unknown GS1 Application Identifier" in error:
        return True
    rest = error.partition("Failed to get GS1 Application Identifier from ")[2]
    return bool(rest) and not any(rest.startswith(repr(whole)) for whole in (text, text[3:]))
