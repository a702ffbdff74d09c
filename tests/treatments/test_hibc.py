"""Reading HIBC labels, the UDI format of many US device boxes, cannulas and needles. The codes are the
worked examples of ANSI/HIBC 2.6 (as tecnickcom/tc-lib-barcode's tests quote them, with their check
characters), and its Table F1 of secondary data formats after a primary data structure."""

from datetime import date
from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from treatments import gs1, services
from treatments.models import Batch, Product

from ..barcodes import hibc
from ..factories import BatchFactory, PatientFactory, ProductFactory

# ANSI/HIBC 2.6 section 2.2.1.1: labeler A999, product 1234, unit of measure 5; expiry 2020, day 15
# (YYJJJ); lot 10X3; check character 3.
CONCATENATED = "+A99912345/$$52001510X33"
READ = {"hibc": "A99912345", "lot": "10X3", "expiry": date(2020, 1, 15)}


@pytest.mark.parametrize(
    "code",
    [
        CONCATENATED,
        "]d1" + CONCATENATED,
        "]C0" + CONCATENATED,
        "]Q1" + CONCATENATED,
        "]A0" + CONCATENATED,
        "*" + CONCATENATED + "*",
        # A Code 39 scanner that checked the mod 43 character, HIBC's own, and left it out.
        "]A3" + CONCATENATED[:-1],
    ],
    ids=[
        "H1 as scanned",
        "H2 DataMatrix",
        "H3 Code 128",
        "QR code",
        "H4 Code 39",
        "H5 Code 39 with its start and stop",
        "Code 39, check character left out",
    ],
)
def test_an_hibc_code_gives_its_product_lot_and_expiry(code):
    assert gs1.label_read(code) == gs1.Label(**READ)


@pytest.mark.parametrize(
    ("code", "label"),
    [
        # Section 4.3.3: another primary data structure, the same secondary data.
        ("+A123BJC5D6E71/$$52001510X3C", {"hibc": "A123BJC5D6E71", "lot": "10X3", "expiry": date(2020, 1, 15)}),
        # Section 2.3.2: a production date and a serial number after the lot.
        (
            "+A99912345/$$52001510X3/16D20111212/S77DEFG457",
            {"hibc": "A99912345", "lot": "10X3", "expiry": date(2020, 1, 15), "serial": "77DEFG45"},
        ),
        # Section 2.3.2.3: the lot without a date field, the expiry as 14D, and a production date.
        (
            "+A99912345/$10X3/16D20111231/14D202001313",
            {"hibc": "A99912345", "lot": "10X3", "expiry": date(2020, 1, 31)},
        ),
        # Section 2.3.2.4: a quantity as the last field.
        (
            "+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
            {"hibc": "A99912349", "lot": "10X3", "expiry": date(2020, 1, 31)},
        ),
        # Appendix C.3: the primary data structure alone.
        ("+H123ABC01234567890D", {"hibc": "H123ABC01234567890"}),
    ],
    ids=["H6 another product", "serial and production date", "14D expiry", "quantity last", "primary alone"],
)
def test_the_standards_worked_examples_read(code, label):
    assert gs1.label_read(code) == gs1.Label(**label)


SEPT_28_2005, SEPT_2005 = date(2005, 9, 28), date(2005, 9, 30)


@pytest.mark.parametrize(
    ("secondary", "lot", "serial", "expiry"),
    [
        ("052713C001", "3C001", "", SEPT_28_2005),
        ("$3C001", "3C001", "", None),
        ("$$09053C001", "3C001", "", SEPT_2005),
        ("$$20928053C001", "3C001", "", SEPT_28_2005),
        ("$$30509283C001", "3C001", "", SEPT_28_2005),
        ("$$4050928223C001", "3C001", "", SEPT_28_2005),
        ("$$5052713C001", "3C001", "", SEPT_28_2005),
        ("$$605271223C001", "3C001", "", SEPT_28_2005),
        ("$$73C001", "3C001", "", None),
        ("$+0001", "", "0001", None),
        ("$$+09050001", "", "0001", SEPT_2005),
        ("$$+20928050001", "", "0001", SEPT_28_2005),
        ("$$+30509280001", "", "0001", SEPT_28_2005),
        ("$$+4050928200001", "", "0001", SEPT_28_2005),
        ("$$+5052710001", "", "0001", SEPT_28_2005),
        ("$$+605271200001", "", "0001", SEPT_28_2005),
        ("$$+70001", "", "0001", None),
    ],
)
def test_each_secondary_data_format_gives_its_lot_or_serial_and_expiry(secondary, lot, serial, expiry):
    code = hibc("+A99912345/" + secondary)

    assert gs1.label_read(code) == gs1.Label(hibc="A99912345", lot=lot, serial=serial, expiry=expiry)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "+A99912345/$$52001510X34",
            "This HIBC code fails its check character: it was misread, scan it again.",
        ),
        (
            # Section 4.3.2: the secondary data as a barcode of its own, with its link character G.
            "+$$52001510X3GD",
            "This HIBC barcode holds the lot and expiry but not the product: scan the box's code that holds both "
            "(often the square DataMatrix), or add the batch by hand on the product's page.",
        ),
        (
            "+/EO5232013",
            "This is a hospital's own HIBC label, not the manufacturer's: scan the product's own label.",
        ),
        (
            "+a99912345/$$52001510x33",
            "This code came through in small letters, as it does with Caps Lock on: turn Caps Lock off and scan again.",
        ),
        (
            hibc("+A99912345/$$52040010X3"),
            "The expiry date in this code is incomplete or impossible: scan the box again.",
        ),
        (
            hibc("+A99912345/$$3201331" + "10X3"),
            "The expiry date in this code is incomplete or impossible: scan the box again.",
        ),
        (
            hibc("+A99912345/$10X3/16D20111331"),
            "The production date in this code is incomplete or impossible: scan the box again.",
        ),
        (
            hibc("+A99912345/$$52001510X3/14D20200131"),
            "This code holds two different values for expiry date: scan the box's own label.",
        ),
        (
            hibc("+A99912345/$10X3/17D20111231"),
            "This HIBC code does not read as the HIBC standard writes a product label: scan the box's other "
            "barcode, or add the batch by hand on the product's page.",
        ),
        (
            hibc("+A99912345/$$8052713C001"),
            "This HIBC code does not read as the HIBC standard writes a product label: scan the box's other "
            "barcode, or add the batch by hand on the product's page.",
        ),
        (
            hibc("+A99912345/$10X3/Q500/S123"),
            "This HIBC code does not read as the HIBC standard writes a product label: scan the box's other "
            "barcode, or add the batch by hand on the product's page.",
        ),
        (
            hibc("+A1231"),
            "This HIBC code does not read as the HIBC standard writes a product label: scan the box's other "
            "barcode, or add the batch by hand on the product's page.",
        ),
    ],
    ids=[
        "a wrong check character",
        "S8 lot and expiry without the product",
        "a hospital's own label",
        "Caps Lock",
        "day 400",
        "month 13",
        "production date",
        "two expiries",
        "an unknown field",
        "a quantity format",
        "quantity not last",
        "no product number",
    ],
)
def test_an_hibc_code_that_cannot_be_used_says_why(code, message):
    with pytest.raises(ValidationError) as refused:
        gs1.label_read(code)

    assert refused.value.messages == [message]


def test_a_check_character_that_is_a_space_is_read_though_the_form_strips_it():
    assert gs1.label_read("+A99912345/$$20928053C001") == gs1.Label(
        hibc="A99912345", lot="3C001", expiry=date(2005, 9, 28)
    )


# HIBC boxes in the clinic's stock

NOW = timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 0))
BOX = hibc("+A99912345/$$3271231HB2401")


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def cannula(harbour):
    return ProductFactory(clinic=harbour, name="Soft cannula 25G", hibc="A99912345")


def test_a_manager_records_a_products_hibc_code_as_printed_after_the_plus(client_for, mary, harbour):
    form = {"clinic": harbour.pk, "name": "Soft cannula 25G", "manufacturer": "Acme", "kind": "other"}

    response = client_for(mary).post(reverse("treatments:product_create"), {**form, "hibc": "+a999 12345"})

    assert response.status_code == 302
    assert Product.objects.get().hibc == "A99912345"


PRODUCT_CODE_INVALID = (
    "Enter the HIBC product code as printed after the + of the box's HIBC code: the labeler code (a letter and "
    "three letters or digits), the product number and the unit of measure (a digit), such as A99912345."
)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("A9991234X", PRODUCT_CODE_INVALID),
        ("9A9912345", PRODUCT_CODE_INVALID),
        ("A99912345", "Soft cannula 25G already has this HIBC product code in this clinic."),
    ],
    ids=["unit of measure not a digit", "labeler code not starting with a letter", "taken in the clinic"],
)
def test_a_wrong_or_taken_hibc_code_is_refused(client_for, mary, harbour, cannula, typed, message):
    form = {"clinic": harbour.pk, "name": "Fine needle", "manufacturer": "Acme", "kind": "other", "hibc": typed}

    response = client_for(mary).post(reverse("treatments:product_create"), form)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert Product.objects.count() == 1


def test_a_box_labelled_in_hibc_finds_its_batch_in_a_session_row(client_for, alice, harbour, cannula):
    batch = BatchFactory(product=cannula, lot_number="HB2401", expiry_date=date(2027, 12, 31))
    patient = PatientFactory(clinic=harbour)

    answer = client_for(alice).get(reverse("treatments:scan_batch"), {"code": "]A0" + BOX, "patient": patient.pk})

    assert (answer.json()["outcome"], answer.json()["batch"]["value"]) == ("batch", str(batch.pk))


def test_a_delivery_of_hibc_boxes_is_received(client_for, mary, harbour, cannula):
    client = client_for(mary)
    data = {"clinic": harbour.pk, "supplier": "Acme", "code": BOX}

    asked = client.post(reverse("treatments:batch_receive"), data)
    client.post(reverse("treatments:batch_receive"), {**data, "confirmed": "1"})

    assert 'data-testid="lot-read">HB2401</dd>' in asked.content.decode()
    batch = Batch.objects.get()
    assert (batch.product, batch.lot_number, batch.expiry_date) == (cannula, "HB2401", date(2027, 12, 31))


def test_an_hibc_box_of_a_product_the_clinic_does_not_know_names_its_code(client_for, mary, harbour):
    patient = PatientFactory(clinic=harbour)

    answer = client_for(mary).get(reverse("treatments:scan_batch"), {"code": BOX, "patient": patient.pk}).json()

    assert answer["outcome"] == "unknown_product"
    assert answer["message"] == (
        "No product of Harbour Skin Clinic has the HIBC product code A99912345: a manager can record it on the "
        "product's page."
    )


def test_the_batch_form_is_filled_from_an_hibc_box_of_its_product_only(client_for, mary, harbour, cannula):
    needle = ProductFactory(clinic=harbour, name="Fine needle", hibc="B12300011")
    client = client_for(mary)

    own = client.get(reverse("treatments:scan_label", args=[cannula.pk]), {"code": BOX}).json()
    other = client.get(reverse("treatments:scan_label", args=[needle.pk]), {"code": BOX}).json()

    assert (own["outcome"], own["lot"], own["expiry"]) == ("label", "HB2401", "2027-12-31")
    assert other["message"] == "This box is Soft cannula 25G (HIBC product code A99912345), not Fine needle."


def test_an_hibc_code_with_the_product_only_asks_for_the_code_with_the_lot(client_for, alice, harbour, cannula):
    patient = PatientFactory(clinic=harbour)

    answer = client_for(alice).get(reverse("treatments:scan_batch"), {"code": "+A999123457", "patient": patient.pk})

    assert answer.json()["message"] == str(services.NO_LOT_IN_CODE)
