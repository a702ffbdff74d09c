"""Scanning boxes: the product found by GTIN, the batch by lot, new lots registered, deliveries received."""

from datetime import date, timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from treatments import services
from treatments.models import Batch, Product

from ..factories import BatchFactory, MembershipFactory, PatientFactory, ProductFactory, UserFactory

GTIN = "09506000134352"
SCAN = reverse("treatments:scan_batch")
REGISTER = reverse("treatments:scan_register")
RECEIVE = reverse("treatments:batch_receive")
NOW = timezone.make_aware(timezone.datetime(2026, 11, 20, 10, 0))


def box(lot="HB2401", expiry="271231", gtin=GTIN) -> str:
    """A GS1 DataMatrix's content as the camera decoder gives it."""
    return f"(01){gtin}(17){expiry}(10){lot}"


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def hydra(harbour):
    return ProductFactory(clinic=harbour, name="Hydra Boost", gtin=GTIN)


@pytest.fixture
def hannah(harbour):
    return PatientFactory(clinic=harbour, first_name="Hannah")


def scan(client, code, patient=None, performed_at="2026-11-20T09:30"):
    return client.get(
        SCAN, {"code": code, "patient": patient.pk if patient else "", "performed_at": performed_at}
    ).json()


# The product's GTIN


def product_form(harbour, **fields):
    return {"clinic": harbour.pk, "name": "NCTF 135", "manufacturer": "Filorga", "kind": "other", **fields}


def test_a_manager_records_a_products_gtin_as_fourteen_digits(client_for, mary, harbour):
    response = client_for(mary).post(reverse("treatments:product_create"), product_form(harbour, gtin="9506000134352"))

    assert response.status_code == 302
    assert Product.objects.get().gtin == GTIN


@pytest.mark.parametrize(
    ("gtin", "message"),
    [("9506000134353", "Enter the 8, 12, 13 or 14 digits"), (GTIN, "Hydra Boost already has this GTIN")],
    ids=["bad check digit", "taken in the clinic"],
)
def test_a_wrong_or_taken_gtin_is_refused(client_for, mary, harbour, hydra, gtin, message):
    response = client_for(mary).post(reverse("treatments:product_create"), product_form(harbour, gtin=gtin))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Product.objects.count() == 1


def test_another_clinic_may_record_the_same_gtin(client_for, grace, riverside, hydra):
    response = client_for(grace).post(reverse("treatments:product_create"), product_form(riverside, gtin=GTIN))

    assert response.status_code == 302
    assert Product.objects.filter(gtin=GTIN).count() == 2


# Scanning in a session's product row


def test_a_known_lot_is_chosen_for_the_product_row(client_for, alice, hydra, hannah):
    batch = BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2027, 12, 31))

    answer = scan(client_for(alice), box(lot="hb2401"), hannah)

    assert answer["outcome"] == "batch"
    assert answer["batch"]["value"] == str(batch.pk)
    assert answer["batch"]["text"] == "Hydra Boost – lot HB2401, expires 31/12/2027"
    assert answer["message"] == "Hydra Boost, lot HB2401, expires 31 Dec. 2027."
    assert answer["warning"] == ""


def test_a_box_whose_expiry_differs_from_the_stock_record_is_pointed_out(client_for, alice, hydra, hannah):
    BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2027, 6, 30))

    answer = scan(client_for(alice), box(), hannah)

    assert answer["outcome"] == "batch"
    assert answer["warning"] == "The box says it expires on 31 Dec. 2027, the stock record 30 June 2027: check the box."


@pytest.mark.parametrize(
    ("batch_fields", "message"),
    [
        ({"expiry_date": date(2026, 11, 1)}, "Lot HB2401 expired on 1 Nov. 2026, before the session date."),
        (
            {"quarantined_at": NOW - timedelta(days=1), "quarantine_reason": "Supplier recall"},
            "Lot HB2401 is quarantined and cannot be used: Supplier recall",
        ),
    ],
    ids=["expired", "quarantined"],
)
def test_an_expired_or_quarantined_lot_is_refused_with_the_usual_message(
    client_for, alice, hydra, hannah, batch_fields, message
):
    BatchFactory(product=hydra, lot_number="HB2401", received_on=date(2026, 1, 1), **batch_fields)

    answer = scan(client_for(alice), box(expiry="261101"), hannah)

    assert (answer["outcome"], answer["message"], answer["batch"]) == ("refused", message, None)


def test_a_box_whose_own_label_says_it_expired_before_the_session_is_refused_whatever_the_stock_says(
    client_for, alice, hydra, hannah
):
    # B20: the stock record was typed with another expiry; the box in hand expired the day before.
    BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2028, 3, 1))

    answer = scan(client_for(alice), box(expiry="261119"), hannah)

    assert (answer["outcome"], answer["batch"]) == ("refused", None)
    assert answer["message"] == (
        "This box's label says it expired on 19 Nov. 2026, before the session date, though the stock record says "
        "1 March 2028: do not use it, and correct the stock record."
    )


def test_a_box_expiring_on_the_session_day_is_still_used(client_for, alice, hydra, hannah):
    batch = BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2028, 3, 1))

    answer = scan(client_for(alice), box(expiry="261120"), hannah)

    assert (answer["outcome"], answer["batch"]["value"]) == ("batch", str(batch.pk))
    assert answer["warning"] == "The box says it expires on 20 Nov. 2026, the stock record 1 March 2028: check the box."


def test_a_lot_used_before_its_quarantine_is_still_accepted_for_that_session(client_for, alice, hydra, hannah):
    BatchFactory(product=hydra, lot_number="HB2401", quarantined_at=NOW, quarantine_reason="Recall")

    answer = scan(client_for(alice), box(), hannah, performed_at="2026-11-19T16:00")

    assert answer["outcome"] == "batch"


def test_a_practitioner_is_told_whom_to_ask_for_an_unknown_lot(client_for, alice, mary, hydra, hannah):
    answer = scan(client_for(alice), box(lot="NEW9"), hannah)

    assert answer["outcome"] == "unknown_lot"
    assert answer["can_register"] is False
    assert answer["message"] == (
        f"Lot NEW9 of Hydra Boost is not in Harbour Skin Clinic's stock: ask a manager ({mary}) to register it, "
        "or choose another batch."
    )


def test_a_practitioner_who_scans_an_expired_box_of_an_unknown_lot_is_told_it_has_expired(
    client_for, alice, hydra, hannah
):
    # B1, R3, S1: they were sent to a manager, who would then have been refused.
    answer = scan(client_for(alice), box(lot="NEW9", expiry="261101"), hannah)

    assert (answer["outcome"], answer["can_register"]) == ("unknown_lot", False)
    assert answer["message"] == "This box expired on 1 Nov. 2026, before the session date: do not use it."


def test_a_manager_registers_an_unknown_lot_from_the_scan_and_it_is_chosen(client_for, mary, hydra, hannah):
    client = client_for(mary)
    assert scan(client, box(lot="NEW9"), hannah)["can_register"] is True
    data = {"code": box(lot="NEW9"), "patient": hannah.pk, "performed_at": "2026-11-20T09:30"}

    answer = client.post(REGISTER, data).json()
    again = client.post(REGISTER, data).json()

    batch = Batch.objects.get(lot_number="NEW9")
    assert (batch.product, batch.expiry_date, batch.received_on) == (hydra, date(2027, 12, 31), date(2026, 11, 20))
    assert batch.history.get().history_user == mary
    assert answer["outcome"] == again["outcome"] == "batch"
    assert answer["batch"]["value"] == again["batch"]["value"] == str(batch.pk)
    assert Batch.objects.count() == 1


def test_a_code_without_a_lot_asks_for_the_code_that_has_it(client_for, mary, hydra, hannah):
    answer = scan(client_for(mary), f"(01){GTIN}(17)271231", hannah)

    assert (answer["outcome"], answer["message"]) == ("invalid", str(services.NO_LOT_IN_CODE))


def test_a_box_scanned_again_with_another_expiry_is_pointed_out(client_for, mary, hydra, harbour):
    BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2027, 6, 30))

    response = receive(client_for(mary), harbour, box())

    page = response.content.decode()
    assert "was already received" in page
    assert "The box says it expires on 31 Dec. 2027, the stock record 30 June 2027: check the box." in page
    assert Batch.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (box(expiry="261101"), "This box expired on 1 Nov. 2026, before the session date: do not use it."),
        (f"(01){GTIN}(10)NEW9", str(services.NO_EXPIRY_IN_CODE)),
    ],
    ids=["expired box", "no expiry"],
)
def test_registering_is_not_offered_for_a_box_that_cannot_be_taken_in(client_for, mary, hydra, hannah, code, message):
    answer = scan(client_for(mary), code.replace("HB2401", "NEW9"), hannah)

    assert (answer["outcome"], answer["message"], answer["can_register"]) == ("unknown_lot", message, False)


@pytest.mark.parametrize(
    ("code", "patient_of", "user"),
    [
        (box(lot="NEW9", gtin="00036000291452"), "harbour", "mary"),
        (f"(01){GTIN}(17)271231", "harbour", "mary"),
        (f"(01){GTIN}(10)NEW9", "harbour", "mary"),
        (box(lot="NEW9", expiry="261101"), "harbour", "mary"),
        (box(lot="NEW9"), "riverside", "mary"),
        (box(lot="NEW9"), "harbour", "rita"),
    ],
    ids=[
        "unknown product",
        "no lot",
        "no expiry",
        "expired box",
        "another clinic's patient",
        "another clinic's manager",
    ],
)
def test_a_box_that_cannot_be_registered_from_a_session_row_adds_nothing(
    client_for, mary, hydra, harbour, riverside, code, patient_of, user
):
    rita = UserFactory(username="rita")
    MembershipFactory(user=rita, clinic=riverside, role="manager")
    patient = PatientFactory(clinic=harbour if patient_of == "harbour" else riverside)

    response = client_for({"mary": mary, "rita": rita}[user]).post(REGISTER, {"code": code, "patient": patient.pk})

    assert response.json()["outcome"] in {"invalid", "refused", "unknown_product"}
    assert not Batch.objects.exists()


def test_a_lot_registered_while_logging_an_earlier_session_was_in_stock_by_then(client_for, mary, hydra, hannah):
    client_for(mary).post(REGISTER, {"code": box(lot="NEW9"), "patient": hannah.pk, "performed_at": "2026-11-12T15:00"})

    assert Batch.objects.get().received_on == date(2026, 11, 12)


def test_a_practitioner_cannot_register_a_lot(client_for, alice, hydra, hannah):
    response = client_for(alice).post(REGISTER, {"code": box(lot="NEW9"), "patient": hannah.pk})

    assert response.status_code == 403
    assert not Batch.objects.exists()


def test_a_box_of_a_product_the_clinic_does_not_know_says_so(client_for, alice, hannah, harbour):
    answer = scan(client_for(alice), box(gtin="00036000291452"), hannah)

    assert answer == {
        "outcome": "unknown_product",
        "message": "No product of Harbour Skin Clinic has the GTIN 00036000291452: a manager can record it on the "
        "product's page.",
        "warning": "",
        "batch": None,
        "can_register": False,
        "lot": "HB2401",
        "expiry": "31 Dec. 2027",
    }


def test_a_code_that_does_not_read_says_why(client_for, alice, hydra, hannah):
    answer = scan(client_for(alice), "(01)09506000134353(10)HB2401", hannah)

    assert answer["outcome"] == "invalid"
    assert answer["message"].startswith("The product number 09506000134353 fails its check digit")


def test_another_clinics_stock_is_never_found(client_for, bob, hydra, hannah, riverside):
    BatchFactory(product=hydra, lot_number="HB2401")
    riverside_patient = PatientFactory(clinic=riverside)

    # Bob cannot see Harbour's patient: the box is looked for nowhere.
    assert scan(client_for(bob), box(), hannah)["message"].startswith("Choose the patient first")
    # In his own clinic's stock, Harbour's product is unknown.
    assert scan(client_for(bob), box(), riverside_patient)["outcome"] == "unknown_product"


def test_with_one_clinic_a_box_is_found_before_the_patient_is_chosen(client_for, alice, hydra):
    BatchFactory(product=hydra, lot_number="HB2401")

    assert scan(client_for(alice), box())["outcome"] == "batch"


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(SCAN, {"code": box()}).status_code == 302
    assert client.post(REGISTER, {"code": box()}).status_code == 302


# K4: a US-layout scanner on a French keyboard with Caps Lock on types QA-12 as aq)12.
CAPS_LOCK_BOX = f"01{GTIN}17271231" + "10aq)12"
CAPS_LOCK = (
    "The lot came through as “aq)12”, as it does with Caps Lock on: a scanner's capitals arrive in small letters "
    "and, on a French keyboard, its “-” as “)”. Turn Caps Lock off and scan again. If the box really prints "
    "“aq)12”, add the batch by hand on the product's page."
)


def test_a_lot_read_through_caps_lock_is_never_taken_into_stock(client_for, mary, hydra, harbour, hannah):
    client = client_for(mary)
    label_scan = reverse("treatments:scan_label", args=[hydra.pk])

    row = scan(client, CAPS_LOCK_BOX, hannah)
    registered = client.post(REGISTER, {"code": CAPS_LOCK_BOX, "patient": hannah.pk}).json()
    received = receive(client, harbour, CAPS_LOCK_BOX)
    batch_form = client.get(label_scan, {"code": CAPS_LOCK_BOX}).json()

    assert (row["outcome"], row["message"], row["can_register"]) == ("unknown_lot", CAPS_LOCK, False)
    assert (registered["outcome"], registered["message"]) == ("refused", CAPS_LOCK)
    assert CAPS_LOCK in received.content.decode().replace("&#x27;", "'")
    assert (batch_form["outcome"], batch_form["message"], batch_form["lot"]) == ("invalid", CAPS_LOCK, "")
    assert not Batch.objects.exists()


def test_a_practitioner_is_told_caps_lock_is_on_rather_than_to_ask_a_manager(client_for, alice, hydra, hannah):
    answer = scan(client_for(alice), CAPS_LOCK_BOX, hannah)

    assert (answer["outcome"], answer["message"]) == ("unknown_lot", CAPS_LOCK)


def test_a_lot_in_stock_is_still_found_when_caps_lock_only_flipped_its_case(client_for, alice, hydra, hannah):
    batch = BatchFactory(product=hydra, lot_number="QA-12", expiry_date=date(2027, 12, 31))

    answer = scan(client_for(alice), f"01{GTIN}17271231" + "10qa-12", hannah)

    assert (answer["outcome"], answer["batch"]["value"]) == ("batch", str(batch.pk))


# Scanning on the batch form


def test_the_batch_form_is_filled_from_the_box(client_for, mary, hydra):
    client = client_for(mary)
    url = reverse("treatments:scan_label", args=[hydra.pk])

    filled = client.get(url, {"code": box()}).json()
    other = client.get(url, {"code": box(gtin="00036000291452")}).json()

    assert (filled["outcome"], filled["lot"], filled["expiry"]) == ("label", "HB2401", "2027-12-31")
    assert other["outcome"] == "other_product"
    assert other["message"] == "This box is another product (GTIN 00036000291452), not Hydra Boost."
    assert client_for(mary).get(reverse("treatments:batch_create", args=[hydra.pk])).status_code == 200


def test_the_batch_form_scan_is_for_the_clinics_managers(client_for, alice, hydra, riverside):
    url = reverse("treatments:scan_label", args=[hydra.pk])
    riverside_manager = UserFactory(username="rita")
    MembershipFactory(user=riverside_manager, clinic=riverside, role="manager")

    assert client_for(alice).get(url, {"code": box()}).status_code == 403
    assert client_for(riverside_manager).get(url, {"code": box()}).status_code == 404


def test_a_box_of_another_product_is_refused_on_a_batch_form_even_before_the_gtin_is_recorded(
    client_for, mary, harbour, hydra
):
    unrecorded = ProductFactory(clinic=harbour, name="NCTF 135")
    url = reverse("treatments:scan_label", args=[unrecorded.pk])

    other = client_for(mary).get(url, {"code": box()}).json()
    own = client_for(mary).get(url, {"code": box(gtin="00036000291452")}).json()

    assert (other["outcome"], other["lot"]) == ("other_product", "")
    assert other["message"] == "This box is Hydra Boost (GTIN 09506000134352), not NCTF 135."
    assert own["outcome"] == "label"
    assert own["message"].endswith(
        "Record the product's GTIN 00036000291452 on its page so boxes are checked against it."
    )


def test_editing_a_product_keeps_its_own_gtin(client_for, mary, harbour, hydra):
    response = client_for(mary).post(
        reverse("treatments:product_edit", args=[hydra.pk]),
        product_form(harbour, name="Hydra Boost", manufacturer=hydra.manufacturer, gtin="9506000134352"),
    )

    assert response.status_code == 302
    assert Product.objects.get().gtin == GTIN


# Receiving a delivery


def receive(client, harbour, code, supplier="Dermalab UK", confirmed=True):
    """A box scanned on the receiving page and, for a new lot, the lot and expiry read confirmed."""
    data = {"clinic": harbour.pk, "supplier": supplier, "code": code}
    return client.post(RECEIVE, {**data, "confirmed": "1"} if confirmed else data, follow=True)


def test_a_manager_receives_a_delivery_box_by_box_and_a_box_scanned_twice_counts_once(client_for, mary, hydra, harbour):
    client = client_for(mary)

    first = receive(client, harbour, box(lot="HB2401"))
    receive(client, harbour, box(lot="HB2402", expiry="280600"))
    twice = receive(client, harbour, box(lot="HB2401"))

    batches = list(
        Batch.objects.order_by("lot_number").values_list("lot_number", "expiry_date", "received_on", "supplier")
    )
    assert batches == [
        ("HB2401", date(2027, 12, 31), date(2026, 11, 20), "Dermalab UK"),
        ("HB2402", date(2028, 6, 30), date(2026, 11, 20), "Dermalab UK"),
    ]
    assert "Hydra Boost lot HB2401 received." in first.content.decode()
    assert "was already received on 20 Nov. 2026: not added again." in twice.content.decode()
    # The next box is scanned with the same clinic and supplier already chosen.
    assert twice.request["QUERY_STRING"] == f"clinic={harbour.pk}&supplier=Dermalab+UK"
    assert twice.content.decode().count('data-testid="received"') == 2


def test_a_new_lot_goes_into_stock_only_once_the_lot_and_expiry_read_are_confirmed(client_for, mary, hydra, harbour):
    # T2: a wedge scan cut short inside the lot reads HB24 for HB2401; nothing in the code can tell.
    client = client_for(mary)
    code = f"]d201{GTIN}17271231" + "10HB24"

    scanned = receive(client, harbour, code, confirmed=False)

    assert not Batch.objects.exists()
    page = scanned.content.decode()
    assert '<dd class="col-sm-9 fs-5 font-monospace" data-testid="lot-read">HB24</dd>' in page
    assert '<dd class="col-sm-9 fs-5" data-testid="expiry-read">31 Dec. 2027</dd>' in page
    assert "Yes: take lot HB24 into stock" in page
    assert f'<input type="hidden" name="code" value="{code}">' in page

    confirmed = receive(client, harbour, code)

    assert Batch.objects.get().lot_number == "HB24"
    assert "Hydra Boost lot HB24 received." in confirmed.content.decode()


def test_the_confirmation_sends_back_the_separators_the_scanner_sent(client_for, mary, hydra, harbour):
    client = client_for(mary)
    code = f"01{GTIN}" + "10HB2401\x1d17271231" + "21SN0007"

    scanned = receive(client, harbour, code, confirmed=False)
    sent_back = f"01{GTIN}" + "10HB2401<GS>17271231" + "21SN0007"
    assert f'<input type="hidden" name="code" value="{escape(sent_back)}">' in scanned.content.decode()
    receive(client, harbour, sent_back)

    assert Batch.objects.get().lot_number == "HB2401"


def test_a_lot_already_in_stock_needs_no_confirmation(client_for, mary, hydra, harbour):
    BatchFactory(product=hydra, lot_number="HB2401", expiry_date=date(2027, 12, 31), received_on=date(2026, 11, 2))

    response = receive(client_for(mary), harbour, box(), confirmed=False)

    assert "Hydra Boost lot HB2401 was already received on 2 Nov. 2026: not added again." in response.content.decode()
    assert 'data-testid="confirm-receipt"' not in response.content.decode()
    assert Batch.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (box(expiry="261101"), "This box expired on 1 Nov. 2026: it is not received into stock."),
        ("(01)09506000134352(10)HB2401", str(services.NO_EXPIRY_IN_CODE)),
        ("(01)09506000134352(17)271231", str(services.NO_LOT_IN_CODE)),
        (box(gtin="00036000291452"), "No product of Harbour Skin Clinic has the GTIN 00036000291452"),
        ('(01)09506000134352(17)271231(10)HB"24', "Use the letters, digits and punctuation printed on the label"),
        ("not a code", "This code is not a product label the app can read"),
        # R6: a scanner that drops the separator: the lot runs on into the serial number.
        (f"01{GTIN}17271231" + "10DER55555" + "21SN0007", "dropped the separator between the lot and the serial"),
        # B8: the lot AB(1) in brackets, which used to go into stock as AB.
        (f"(01){GTIN}(17)271231(10)AB(1)(21)S7", "The brackets in this code cannot be read for sure"),
    ],
    ids=[
        "expired box",
        "no expiry",
        "no lot",
        "unknown product",
        "a quote in the lot",
        "not a code",
        "R6 lost separator",
        "B8 brackets",
    ],
)
def test_a_box_that_cannot_be_received_says_why_and_adds_nothing(client_for, mary, hydra, harbour, code, message):
    response = receive(client_for(mary), harbour, code)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not Batch.objects.exists()


def test_receiving_is_for_managers_and_their_own_clinics(client_for, alice, grace, mary, hydra, riverside):
    assert client_for(alice).get(RECEIVE).status_code == 403
    response = client_for(mary).post(RECEIVE, {"clinic": riverside.pk, "code": box()})

    assert "Select a valid choice" in response.content.decode()
    assert not Batch.objects.exists()


# The camera's decoder runs WebAssembly: allowed on the pages that scan, and only there.


def test_only_the_scanning_pages_let_webassembly_run(client_for, mary, hydra):
    client = client_for(mary)

    for url in [reverse("recovery:session_create"), reverse("treatments:batch_create", args=[hydra.pk]), RECEIVE]:
        assert "'wasm-unsafe-eval'" in client.get(url)["Content-Security-Policy"]
    assert "wasm" not in client.get(reverse("recovery:dashboard"))["Content-Security-Policy"]
