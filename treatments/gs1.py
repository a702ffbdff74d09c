"""GS1 labels on the boxes of injectable products, read with biip: the product's GTIN (01), the lot
(10), the expiry (17, day 00 meaning the month's last day) and the serial number (21).

A code arrives as a camera decoder reads it (in brackets, or with the group separator), or as a
handheld scanner types it, often after a symbology identifier such as "]d2" (DataMatrix) or "]C1"
(GS1-128); a GS1 Digital Link in a QR code carries the same elements.
"""

import re
from dataclasses import dataclass
from datetime import date

from biip import ParseError, parse
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GROUP_SEPARATOR = "\x1d"
NO_CODE = _("Scan the box's code, or type it.")
UNREADABLE_CODE = _(
    "This is not a GS1 product label we can read (%(detail)s). Scan the box's DataMatrix or GS1-128 code."
)
UNKNOWN_ELEMENT = _("This code holds an element GS1 does not define (%(detail)s): scan the product's own label.")
NO_GTIN = _("This code has no product number (GTIN): scan the code that also holds the lot and expiry.")
ONLY_GTIN = _(
    "This barcode holds only the product number: scan the code that also holds the lot and expiry "
    "(usually the square DataMatrix)."
)
BAD_CHECK_DIGIT = _("The product number %(gtin)s fails its check digit: the code was misread, scan it again.")
TWO_VALUES = _("This code holds two different values for %(element)s: scan the box's own label.")
GTIN_INVALID = _("Enter the 8, 12, 13 or 14 digits of the GTIN printed under the barcode (%(detail)s).")


@dataclass(frozen=True)
class Label:
    gtin: str
    lot: str = ""
    expiry: date | None = None
    serial: str = ""


def gtin_normalised(value: str) -> str:
    """A GTIN of 8, 12, 13 or 14 digits as the 14 digits GS1 codes carry, or a ValidationError."""
    try:
        return Gtin.parse(value.strip()).as_gtin_14()
    except ParseError as error:
        raise ValidationError(GTIN_INVALID % {"detail": _short(error)}, code="invalid_gtin") from None


def label_read(code: str) -> Label:
    """The GTIN, lot, expiry and serial number of a GS1 code, or a ValidationError saying why not."""
    text = code.strip().replace("<GS>", GROUP_SEPARATOR)
    if not text:
        raise ValidationError(NO_CODE, code="empty")
    only_gtin = False
    try:
        if text.startswith("("):
            elements = GS1Message.parse_hri(text).element_strings
        else:
            result = parse(text)
            found = result.gs1_message or result.gs1_digital_link_uri
            only_gtin = result.gtin is not None
            if found is None:
                raise ParseError(result.gs1_message_error or result.gs1_digital_link_uri_error or text)
            elements = found.element_strings
    except ParseError as error:
        if only_gtin:
            raise ValidationError(ONLY_GTIN, code="no_gtin") from None
        if _unknown_element(str(error), text):
            raise ValidationError(UNKNOWN_ELEMENT % {"detail": _short(error)}, code="unknown_ai") from None
        raise ValidationError(UNREADABLE_CODE % {"detail": _short(error)}, code="unreadable") from None
    by_ai = {}
    for element in elements:
        if by_ai.setdefault(element.ai.ai, element).value != element.value:
            raise ValidationError(TWO_VALUES % {"element": element.ai.data_title}, code="two_values")
    if "01" not in by_ai:
        # A retail barcode's digits can also read as other elements: what it is, is a GTIN alone.
        raise ValidationError(ONLY_GTIN if only_gtin else NO_GTIN, code="no_gtin")
    if by_ai["01"].gtin_error:
        raise ValidationError(BAD_CHECK_DIGIT % {"gtin": by_ai["01"].value}, code="check_digit")
    return Label(
        gtin=by_ai["01"].value,
        lot=by_ai["10"].value if "10" in by_ai else "",
        expiry=by_ai["17"].date if "17" in by_ai else None,
        serial=by_ai["21"].value if "21" in by_ai else "",
    )


def _unknown_element(error: str, text: str) -> bool:
    """Whether biip stopped at an element it does not know, after reading the ones before it. The
    bracketed form names the identifier; the raw form gives the rest it could not read, which is
    not the whole code when the elements before it were read."""
    if "Unknown GS1 Application Identifier" in error:
        return True
    rest = re.search(r"Failed to get GS1 Application Identifier from '(.*)'", error, re.DOTALL)
    return bool(rest) and rest.group(1) not in (text, text[3:])


def _short(error: ParseError) -> str:
    return str(error)[:120].rstrip(".")
