"""Reading the GS1 labels of product boxes, as cameras and handheld scanners send them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from treatments import gs1

from ..barcodes import typed_on_azerty

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
        ("(01)09506000134353(10)A1", gs1.BAD_CHECK_DIGIT % {"gtin": "09506000134353"}),
        ("(01)09506000134352(23)A1", gs1.UNKNOWN_ELEMENT),
        ("0109506000134352" + "2312", gs1.UNKNOWN_ELEMENT),
        ("]d20109506000134352" + "2312", gs1.UNKNOWN_ELEMENT),
        ("(01)09506000134352(10)A1(10)B2", gs1.TWO_VALUES % {"element": "lot number"}),
        ("(10)A1(17)271231", gs1.NO_GTIN),
        ("9506000134352", gs1.ONLY_GTIN),
        ("HELLO-WORLD", gs1.UNREADABLE_CODE),
        ("  ", gs1.NO_CODE),
    ],
    ids=[
        "bad check digit",
        "unknown AI",
        "unknown AI, raw",
        "unknown AI, scanner",
        "two lots",
        "no GTIN",
        "a retail barcode",
        "text",
        "empty",
    ],
)
def test_a_code_that_is_not_a_readable_box_label_says_why(code, message):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [str(message)]


EXPIRY_UNREADABLE = "The expiry date in this code is incomplete or impossible: scan the box again."


@pytest.mark.parametrize(
    ("code", "message"),
    [
        # B9: a 41st of December.
        ("(01)09506000134352(17)271341(10)A1", EXPIRY_UNREADABLE),
        # B16: a 31st of February, raw as a scanner types it.
        ("0109506000134352" + "17270231" + "10A1", EXPIRY_UNREADABLE),
        # T1: a scan cut short inside the expiry.
        ("0109506000134352" + "172812", EXPIRY_UNREADABLE),
        (
            "(01)0950600013435(17)271231",
            "The product number (GTIN) in this code is incomplete or impossible: scan the box again.",
        ),
        (
            "(01)09506000134352(11)271341(17)271231",
            "The production date in this code is incomplete or impossible: scan the box again.",
        ),
    ],
    ids=[
        "B9 no 41st of December",
        "B16 no 31st of February",
        "T1 cut short in the expiry",
        "GTIN cut short",
        "production date",
    ],
)
def test_an_element_that_does_not_read_is_named_in_staff_words(code, message):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [message]


@pytest.mark.parametrize(
    "code",
    [
        "(01)09506000134352(17)271341",
        "0109506000134352172812",
        "01095060001343",
        "HELLO-WORLD",
        "0109506000134352(10)A",
        "]d2" + "0109506000134352" + "2312",
    ],
)
def test_a_refusal_never_shows_the_parsers_internals(code):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    message = refused.value.messages[0]
    assert not any(internal in message for internal in ["Failed", "pattern", "\\d", "^", "GS1 AI", code[3:]])


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
    with pytest.raises(ValidationError) as refused:
        gs1.gtin_normalised(typed)

    assert refused.value.messages == [str(gs1.GTIN_INVALID)]


# What keyboard-wedge scanners send


@pytest.mark.parametrize(
    "separator", ["<GS>", "{GS}", "\xe8"], ids=["<GS> typed", "R9 {GS} typed", "R10 byte 232 (FNC1)"]
)
def test_a_scanners_stand_in_for_the_group_separator_ends_the_lot(separator):
    code = "]d2" + "0109506000134352" + "10HB2401" + separator + "17271231" + "21SN0007"

    assert gs1.label_read(code) == gs1.Label(gtin=GTIN, lot="HB2401", expiry=date(2027, 12, 31), serial="SN0007")


def ran_on(lot, element):
    return (
        f"The scanner dropped the separator after the lot: the lot read, “{lot}”, runs on into the box's {element}. "
        "Set the scanner to send the group separator (GS, ASCII 29: see its manual), or scan with the camera."
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        # R5: the box's order 01-10-17, the separator after the lot lost: the lot swallows the expiry.
        ("0109506000134352" + "10HB2401" + "17271231", ran_on("HB240117271231", "expiry date")),
        ("]d2" + "0109506000134352" + "10HB2401" + "15271231", ran_on("HB240115271231", "best-before date")),
        # R7: 01-10-17-21: the lot is cut at its 20 characters, and the rest reads as nothing.
        ("0109506000134352" + "10HB2401" + "17271231" + "21SN0007", ran_on("HB24011727123121SN00", "expiry date")),
        # R6: 01-17-10-21: the lot swallows the serial number; the expiry is right.
        (
            "0109506000134352" + "17271231" + "10DER55555" + "21SN0007",
            "The scanner seems to have dropped the separator between the lot and the serial number: the lot read, "
            "“DER5555521SN0007”, runs on into “21SN0007”. Set the scanner to send the group separator (GS, ASCII 29: "
            "see its manual), or scan with the camera. If the box really prints the lot “DER5555521SN0007”, add the "
            "batch by hand on the product's page.",
        ),
    ],
    ids=["R5 lot then expiry", "lot then best-before", "R7 lot, expiry, serial", "R6 lot then serial"],
)
def test_a_lot_that_ran_on_into_the_next_element_is_refused_naming_the_cause(code, message):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [str(message)]


@pytest.mark.parametrize(
    ("code", "lot"),
    [
        # In brackets or a Digital Link no separator can be lost.
        ("(01)09506000134352(17)271231(10)DER5555521SN0007", "DER5555521SN0007"),
        ("https://id.gs1.org/01/09506000134352/10/HB240117271231?17=271231", "HB240117271231"),
        # A code whose scanner sent a separator did not drop the others.
        ("0109506000134352" + "10DER5555521SN0007\x1d" + "17271231", "DER5555521SN0007"),
        # A 21 with little after it, or a 17 with no date after it, is part of the lot.
        ("0109506000134352" + "17271231" + "10L2103A", "L2103A"),
        ("0109506000134352" + "17271231" + "10HB172713", "HB172713"),
        ("0109506000134352" + "17271231" + "10HB2401", "HB2401"),
    ],
    ids=["brackets", "digital link", "separator sent", "21 in a short lot", "17 and no date", "plain lot"],
)
def test_a_lot_that_could_not_have_run_on_is_read_as_it_is(code, lot):
    assert gs1.label_read(code).lot == lot


FRENCH_KEYBOARD = (
    "The scanner types as a US keyboard, but this computer's keyboard is French (AZERTY), so the code arrived "
    "garbled. Set the scanner to the French keyboard: scan the “France” or “AZERTY” keyboard code in the "
    "scanner's manual, then scan the box again."
)


@pytest.mark.parametrize(
    "code",
    [
        typed_on_azerty("(01)09506000134352(17)271231(10)HB2401"),
        typed_on_azerty("]d2" + "0109506000134352" + "17271231" + "10HB2401"),
        typed_on_azerty("]C1" + "0109506000134352" + "17271231" + "10HB-2401"),
        typed_on_azerty("https://id.gs1.org/01/09506000134352/10/HB2401?17=271231"),
        # With Caps Lock on, the digits come through, but the symbology identifier does not.
        typed_on_azerty("]d2" + "0109506000134352" + "17271231" + "10QA-12", caps_lock=True),
    ],
    ids=["K1 brackets", "K2 DataMatrix", "K3 GS1-128", "Digital Link", "Caps Lock, with ]d2"],
)
def test_a_us_keyboard_scanner_on_a_french_computer_is_named_with_how_to_set_it(code):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [FRENCH_KEYBOARD]


def test_a_lot_read_through_caps_lock_is_read_as_it_came_for_the_stock_rules_to_refuse():
    code = typed_on_azerty("0109506000134352" + "17271231" + "10QA-12", caps_lock=True)

    assert gs1.label_read(code) == gs1.Label(gtin=GTIN, lot="aq)12", expiry=date(2027, 12, 31))


@pytest.mark.parametrize(
    "code",
    [
        # S5: a Digital Link QR code is a plain QR code, whose symbology identifier is ]Q1.
        "]Q1https://id.gs1.org/01/09506000134352/10/HB2401/21/SN0007?17=271231",
        # D5: the scheme and host in capitals are the same address.
        "HTTPS://ID.GS1.ORG/01/09506000134352/10/HB2401/21/SN0007?17=271231",
        # B12: the expiry as the date of (7003), expiry date and time.
        "(01)09506000134352(7003)2712311430(10)HB2401(21)SN0007",
        "0109506000134352" + "70032712311430" + "10HB2401\x1d" + "21SN0007",
        "(01)09506000134352(17)271231(7003)2712311430(10)HB2401(21)SN0007",
    ],
    ids=["S5 ]Q1 digital link", "D5 upper-case digital link", "B12 (7003)", "(7003) raw", "(17) and (7003) agree"],
)
def test_a_box_label_as_more_scanners_and_printers_give_it(code):
    assert gs1.label_read(code) == gs1.Label(gtin=GTIN, lot="HB2401", expiry=date(2027, 12, 31), serial="SN0007")


def test_a_lot_keeps_the_case_of_a_digital_link_written_in_capitals():
    assert gs1.label_read("HTTPS://ID.GS1.ORG/01/09506000134352/10/Hb2401").lot == "Hb2401"


def test_two_different_expiries_are_refused():
    with pytest.raises(ValidationError) as refused:
        gs1.label_read("(01)09506000134352(17)271231(7003)2801311430(10)HB2401")

    assert refused.value.messages == ["This code holds two different values for expiry date: scan the box's own label."]


BRACKETS_UNCLEAR = (
    "The brackets in this code cannot be read for sure, as a lot or serial number may hold brackets of its own: "
    "scan the box again with the camera or a handheld scanner, or add the batch by hand on the product's page."
)


@pytest.mark.parametrize(
    "code",
    [
        # B8: the lot is AB(1), the serial S7; biip's bracket reader skips (1) and gives the lot AB.
        "(01)09506000134352(17)271231(10)AB(1)(21)S7",
        "(01)09506000134352(17)271231(10)(21)S7",
    ],
    ids=["B8 a lot with brackets", "an empty lot"],
)
def test_bracketed_text_that_does_not_read_back_as_itself_is_refused(code):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [BRACKETS_UNCLEAR]


def test_a_lot_with_brackets_reads_whole_from_the_raw_data_the_camera_gives():
    code = "]d2" + "0109506000134352" + "17271231" + "10AB(1)\x1d" + "21S7"

    assert gs1.label_read(code) == gs1.Label(gtin=GTIN, lot="AB(1)", expiry=date(2027, 12, 31), serial="S7")
