"""Reading the GS1 labels of product boxes, as cameras and handheld scanners send them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from treatments import gs1

GTIN = "09506000134352"


@pytest.mark.parametrize(
    "code",
    [
        # What a camera decoder gives for a GS1 DataMatrix: brackets around each element.
        "(01)09506000134352(17)271231(10)HB2401(21)SN0007",
        # The raw data with the group separator after the variable-length lot.
        "010950600013435217271231" + "10HB2401\x1d21SN0007",
        # A handheld scanner's keystrokes, after the DataMatrix symbology identifier.
        "]d2010950600013435217271231" + "10HB2401\x1d21SN0007",
        # A GS1-128 barcode read by a scanner, the serial first this time.
        "]C10109506000134352" + "21SN0007\x1d17271231" + "10HB2401",
        # A scanner set to type the separator as text.
        "0109506000134352" + "10HB2401<GS>17271231" + "21SN0007",
        # A GS1 Digital Link in a QR code.
        "https://id.gs1.org/01/09506000134352/10/HB2401/21/SN0007?17=271231",
        # Spaces around, as a pasted code has.
        "  (01)09506000134352(10)HB2401(17)271231(21)SN0007 \n",
    ],
    ids=["brackets", "separator", "datamatrix scanner", "gs1-128 scanner", "typed separator", "digital link", "padded"],
)
def test_a_box_label_gives_its_gtin_lot_expiry_and_serial(code):
    assert gs1.label_read(code) == gs1.Label(gtin=GTIN, lot="HB2401", expiry=date(2027, 12, 31), serial="SN0007")


def test_an_expiry_on_day_00_is_the_months_last_day():
    assert gs1.label_read("(01)09506000134352(17)280200(10)A1").expiry == date(2028, 2, 29)
    assert gs1.label_read("(01)09506000134352(17)270400(10)A1").expiry == date(2027, 4, 30)


def test_an_element_repeated_with_the_same_value_is_read_once():
    assert gs1.label_read("(01)09506000134352(10)A1(10)A1").lot == "A1"


def test_a_label_without_lot_or_expiry_still_reads():
    assert gs1.label_read("(01)09506000134352") == gs1.Label(gtin=GTIN)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("(01)09506000134353(10)A1", "The product number 09506000134353 fails its check digit"),
        ("(01)09506000134352(23)A1", "This code holds an element GS1 does not define"),
        ("0109506000134352" + "2312", "This code holds an element GS1 does not define"),
        ("]d20109506000134352" + "2312", "This code holds an element GS1 does not define"),
        ("(01)09506000134352(10)A1(10)B2", "This code holds two different values for BATCH/LOT"),
        ("(10)A1(17)271231", "This code has no product number (GTIN)"),
        ("9506000134352", "This barcode holds only the product number"),
        ("(01)09506000134352(17)271341(10)A1", "This is not a GS1 product label we can read"),
        ("HELLO-WORLD", "This is not a GS1 product label we can read"),
        ("  ", "Scan the box's code, or type it."),
    ],
    ids=[
        "bad check digit",
        "unknown AI",
        "unknown AI, raw",
        "unknown AI, scanner",
        "two lots",
        "no GTIN",
        "a retail barcode",
        "no 41st of December",
        "text",
        "empty",
    ],
)
def test_a_code_that_is_not_a_readable_box_label_says_why(code, message):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages[0].startswith(message)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9506000134352", GTIN),
        ("09506000134352", GTIN),
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
    ],
)
def test_a_gtin_of_any_length_is_kept_as_fourteen_digits(typed, stored):
    assert gs1.gtin_normalised(typed) == stored


@pytest.mark.parametrize("typed", ["9506000134353", "12345", "95060001343A2"])
def test_a_wrong_gtin_is_refused_with_a_message(typed):
    with pytest.raises(ValidationError, match="Enter the 8, 12, 13 or 14 digits"):
        gs1.gtin_normalised(typed)
