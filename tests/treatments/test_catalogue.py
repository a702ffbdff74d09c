from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.forms import NOT_YOUR_CLINIC
from treatments.models import Batch, Product, ProductKind, RegulatoryStatus, Route, lot_number_validator

from ..factories import BatchFactory, PatientFactory, ProductFactory, TreatmentSessionFactory

PRODUCT_LIST_URL = reverse("treatments:product_list")
PRODUCT_CREATE_URL = reverse("treatments:product_create")
DUPLICATE_LOT = "This product already has a batch with this lot number."
EXPIRY_BEFORE_RECEIPT = "The expiry date must be on or after the date received."
RECEIVED_IN_FUTURE = "A batch cannot be received in the future."

# Manager pages, with the record their URL needs: "product" or "batch", or None.
CATALOGUE_PAGES = [
    ("treatments:product_list", None),
    ("treatments:product_create", None),
    ("treatments:product_detail", "product"),
    ("treatments:product_edit", "product"),
    ("treatments:batch_create", "product"),
    ("batches:detail", "batch"),
    ("treatments:batch_edit", "batch"),
]
RECORD_PAGES = [page for page in CATALOGUE_PAGES if page[1] is not None]


def page_url(name, batch):
    records = {"product": batch.product, "batch": batch, None: None}
    record = records[page_kind(name)]
    return reverse(name, args=[record.pk]) if record is not None else reverse(name)


def page_kind(name):
    return dict(CATALOGUE_PAGES)[name]


def product_post(clinic=None, **overrides):
    data = {
        "clinic": str(clinic.pk) if clinic else "",
        "name": "Vita Glow",
        "manufacturer": "Dermalab",
        "kind": ProductKind.VITAMIN_MINERAL_COCKTAIL,
        "active_ingredients": "Vitamins A, C and E",
    }
    data.update(overrides)
    return data


def batch_post(**overrides):
    today = timezone.localdate()
    data = {
        "lot_number": "VG-100",
        "expiry_date": (today + timedelta(days=200)).isoformat(),
        "supplier": "Dermalab UK",
        "received_on": (today - timedelta(days=2)).isoformat(),
    }
    data.update(overrides)
    return data


def batch_create_url(product):
    return reverse("treatments:batch_create", args=[product.pk])


def batch_edit_url(batch):
    return reverse("treatments:batch_edit", args=[batch.pk])


def product_edit_url(product):
    return reverse("treatments:product_edit", args=[product.pk])


def stored(model, record):
    """Every stored field of the record, to show that nothing changed."""
    return model.objects.filter(pk=record.pk).values().get()


def test_manager_creates_a_product_in_their_clinic(client_for, mary, harbour):
    response = client_for(mary).post(PRODUCT_CREATE_URL, product_post(harbour))

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert (product.clinic, product.name, product.manufacturer) == (harbour, "Vita Glow", "Dermalab")
    assert product.kind == ProductKind.VITAMIN_MINERAL_COCKTAIL
    assert product.active_ingredients == "Vitamins A, C and E"


def test_manager_of_two_clinics_creates_a_product_in_the_chosen_clinic(client_for, grace, riverside):
    client_for(grace).post(PRODUCT_CREATE_URL, product_post(riverside))

    assert Product.objects.get().clinic == riverside


def test_product_is_not_created_in_a_clinic_the_manager_does_not_manage(client_for, mary, riverside):
    client_for(mary).post(PRODUCT_CREATE_URL, product_post(riverside))

    assert not Product.objects.filter(clinic=riverside).exists()


def test_another_clinic_is_refused_as_an_invalid_product_clinic(client_for, mary, riverside):
    response = client_for(mary).post(PRODUCT_CREATE_URL, product_post(riverside))

    assert response.status_code == 200
    assert response.context["form"].errors == {"clinic": [str(NOT_YOUR_CLINIC)]}


def test_manager_edits_a_product(client_for, mary, harbour_batch):
    product = harbour_batch.product
    data = product_post(product.clinic, name="Hydra Boost Plus", kind=ProductKind.POLYNUCLEOTIDES)

    response = client_for(mary).post(product_edit_url(product), data)

    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    product.refresh_from_db()
    assert (product.name, product.kind) == ("Hydra Boost Plus", ProductKind.POLYNUCLEOTIDES)


def test_a_manager_records_what_the_regulators_forms_ask_of_a_product(client_for, mary, harbour_batch):
    product = harbour_batch.product
    data = product_post(
        product.clinic,
        name=product.name,
        common_name="Non-cross-linked hyaluronic acid",
        regulatory_status=RegulatoryStatus.MEDICINE,
        route=Route.SUBCUTANEOUS,
        manufacturer_address="1 Example Street, Lyon",
        catalogue_reference="HB-15",
    )

    client_for(mary).post(product_edit_url(product), data)

    product.refresh_from_db()
    assert (product.common_name, product.regulatory_status, product.route, product.catalogue_reference) == (
        "Non-cross-linked hyaluronic acid",
        RegulatoryStatus.MEDICINE,
        Route.SUBCUTANEOUS,
        "HB-15",
    )


def test_a_post_without_the_regulatory_status_keeps_the_products_own(client_for, mary, harbour_batch):
    product = harbour_batch.product
    product.regulatory_status = RegulatoryStatus.MEDICINE
    product.save()

    client_for(mary).post(product_edit_url(product), product_post(product.clinic, name="Renamed"))

    product.refresh_from_db()
    assert (product.name, product.regulatory_status) == ("Renamed", RegulatoryStatus.MEDICINE)


def test_an_unknown_route_is_refused_and_nothing_changes(client_for, mary, harbour_batch):
    product = harbour_batch.product

    response = client_for(mary).post(
        product_edit_url(product), product_post(product.clinic, name="Renamed", route="intravenous")
    )

    assert "route" in response.context["form"].errors
    product.refresh_from_db()
    assert (product.name, product.route) == (harbour_batch.product.name, Route.INTRADERMAL)


def test_editing_cannot_move_a_product_to_another_clinic(client_for, grace, harbour, riverside, harbour_batch):
    product = harbour_batch.product

    client_for(grace).post(product_edit_url(product), product_post(riverside, name="Moved"))

    product.refresh_from_db()
    assert (product.name, product.clinic) == ("Moved", harbour)


def test_manager_adds_a_batch_to_a_product(client_for, mary, harbour_batch):
    product = harbour_batch.product

    response = client_for(mary).post(batch_create_url(product), batch_post())

    batch = Batch.objects.get(lot_number="VG-100")
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert batch.product == product
    assert batch.expiry_date == timezone.localdate() + timedelta(days=200)
    assert batch.received_on == timezone.localdate() - timedelta(days=2)
    assert batch.supplier == "Dermalab UK"


def test_manager_edits_a_batch(client_for, mary, harbour_batch):
    new_expiry = timezone.localdate() + timedelta(days=90)
    data = batch_post(lot_number="HB-001", expiry_date=new_expiry.isoformat(), supplier="Skin Supplies Ltd")

    response = client_for(mary).post(batch_edit_url(harbour_batch), data)

    assert response.status_code == 302
    assert response["Location"] == harbour_batch.get_absolute_url()
    harbour_batch.refresh_from_db()
    assert (harbour_batch.lot_number, harbour_batch.expiry_date) == ("HB-001", new_expiry)
    assert harbour_batch.supplier == "Skin Supplies Ltd"


@pytest.mark.parametrize("lot_number", ["HB-001", "hb-001", " HB-001 "], ids=["same", "other-case", "padded"])
def test_lot_number_is_unique_per_product(client_for, mary, harbour_batch, lot_number):
    response = client_for(mary).post(batch_create_url(harbour_batch.product), batch_post(lot_number=lot_number))

    assert response.status_code == 200
    assert response.context["form"].errors == {"lot_number": [DUPLICATE_LOT]}
    assert Batch.objects.count() == 1


def test_batch_cannot_take_the_lot_number_of_another_batch_of_its_product(client_for, mary, harbour_batch):
    other = BatchFactory(product=harbour_batch.product, lot_number="HB-002")

    response = client_for(mary).post(batch_edit_url(other), batch_post(lot_number="HB-001"))

    assert response.context["form"].errors == {"lot_number": [DUPLICATE_LOT]}
    other.refresh_from_db()
    assert other.lot_number == "HB-002"


def test_same_lot_number_on_another_product_is_allowed(client_for, mary, harbour, harbour_batch):
    other_product = ProductFactory(clinic=harbour, name="Amino Lift")

    response = client_for(mary).post(batch_create_url(other_product), batch_post(lot_number="HB-001"))

    assert response.status_code == 302
    assert Batch.objects.filter(lot_number="HB-001").count() == 2


def test_expiry_before_the_date_received_is_refused(client_for, mary, harbour_batch):
    today = timezone.localdate()
    data = batch_post(
        expiry_date=(today - timedelta(days=10)).isoformat(), received_on=(today - timedelta(days=5)).isoformat()
    )

    response = client_for(mary).post(batch_create_url(harbour_batch.product), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"expiry_date": [EXPIRY_BEFORE_RECEIPT]}
    assert Batch.objects.count() == 1


def test_batch_received_in_the_future_is_refused(client_for, mary, harbour_batch):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_for(mary).post(batch_create_url(harbour_batch.product), batch_post(received_on=tomorrow))

    assert response.status_code == 200
    assert response.context["form"].errors == {"received_on": [RECEIVED_IN_FUTURE]}
    assert Batch.objects.count() == 1


@pytest.mark.parametrize("name", [name for name, _ in CATALOGUE_PAGES])
def test_practitioner_cannot_open_product_pages(client_for, alice, harbour_batch, name):
    assert client_for(alice).get(page_url(name, harbour_batch)).status_code == 403


def test_practitioner_cannot_create_a_product(client_for, alice, harbour):
    response = client_for(alice).post(PRODUCT_CREATE_URL, product_post(harbour))

    assert response.status_code == 403
    assert not Product.objects.exists()


def test_practitioner_cannot_edit_a_product(client_for, alice, harbour_batch):
    product = harbour_batch.product
    before = stored(Product, product)

    response = client_for(alice).post(product_edit_url(product), product_post(product.clinic, name="Changed"))

    assert response.status_code == 403
    assert stored(Product, product) == before


def test_practitioner_cannot_add_a_batch(client_for, alice, harbour_batch):
    response = client_for(alice).post(batch_create_url(harbour_batch.product), batch_post())

    assert response.status_code == 403
    assert list(Batch.objects.all()) == [harbour_batch]


def test_practitioner_cannot_edit_a_batch(client_for, alice, harbour_batch):
    before = stored(Batch, harbour_batch)

    response = client_for(alice).post(batch_edit_url(harbour_batch), batch_post(lot_number="CHANGED"))

    assert response.status_code == 403
    assert stored(Batch, harbour_batch) == before


@pytest.mark.parametrize("name", [name for name, _ in RECORD_PAGES])
def test_manager_cannot_open_another_clinics_product_pages(client_for, mary, riverside_batch, name):
    assert client_for(mary).get(page_url(name, riverside_batch)).status_code == 404


def test_manager_cannot_edit_another_clinics_product(client_for, mary, riverside_batch):
    product = riverside_batch.product
    before = stored(Product, product)

    response = client_for(mary).post(product_edit_url(product), product_post(product.clinic, name="Changed"))

    assert response.status_code == 404
    assert stored(Product, product) == before


def test_manager_cannot_add_a_batch_to_another_clinics_product(client_for, mary, riverside_batch):
    response = client_for(mary).post(batch_create_url(riverside_batch.product), batch_post())

    assert response.status_code == 404
    assert list(Batch.objects.all()) == [riverside_batch]


def test_manager_cannot_edit_another_clinics_batch(client_for, mary, riverside_batch):
    before = stored(Batch, riverside_batch)

    response = client_for(mary).post(batch_edit_url(riverside_batch), batch_post(lot_number="CHANGED"))

    assert response.status_code == 404
    assert stored(Batch, riverside_batch) == before


def test_manager_sees_only_their_clinics_products(client_for, mary, harbour_batch, riverside_batch):
    response = client_for(mary).get(PRODUCT_LIST_URL)

    assert list(response.context["products"]) == [harbour_batch.product]
    assert "River Glow" not in response.content.decode()


def test_manager_of_two_clinics_sees_both_clinics_products(client_for, grace, harbour_batch, riverside_batch):
    response = client_for(grace).get(PRODUCT_LIST_URL)

    assert list(response.context["products"]) == [harbour_batch.product, riverside_batch.product]


def test_batch_page_lists_the_sessions_and_patients_that_used_the_batch(
    client_for, mary, alice, harbour, harbour_batch
):
    now = timezone.now()
    nadia = PatientFactory(clinic=harbour, first_name="Nadia", last_name="North")
    owen = PatientFactory(clinic=harbour, first_name="Owen", last_name="Oakes")
    petra = PatientFactory(clinic=harbour, first_name="Petra", last_name="Pike")
    older = TreatmentSessionFactory(
        patient=nadia, practitioner=alice, batches=[harbour_batch], performed_at=now - timedelta(days=5)
    )
    newer = TreatmentSessionFactory(
        patient=owen, practitioner=alice, batches=[harbour_batch], performed_at=now - timedelta(days=1)
    )
    TreatmentSessionFactory(patient=petra, practitioner=alice)

    response = client_for(mary).get(harbour_batch.get_absolute_url())

    assert [recovery.pk for recovery in response.context["recoveries"]] == [newer.pk, older.pk]
    page = response.content.decode()
    assert "Nadia North" in page
    assert "Owen Oakes" in page
    assert "Petra Pike" not in page


def test_batch_page_pages_its_sessions_newest_first_with_one_logged_late_in_its_place(
    client_for, mary, alice, harbour, harbour_batch
):
    now = timezone.now()
    sessions = [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            batches=[harbour_batch],
            performed_at=now - timedelta(days=days),
        )
        for days in range(2, 54)
    ]
    sessions.insert(
        0,
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            batches=[harbour_batch],
            performed_at=now - timedelta(days=1),
        ),
    )
    client = client_for(mary)

    first = client.get(harbour_batch.get_absolute_url())
    second = client.get(harbour_batch.get_absolute_url(), {"page": 2})

    assert first.context["page"].paginator.count == 53
    assert [recovery.session_id for recovery in first.context["recoveries"]] == [s.pk for s in sessions[:50]]
    assert [recovery.session_id for recovery in second.context["recoveries"]] == [s.pk for s in sessions[50:]]


def test_batch_page_leaves_out_another_clinics_session_that_names_the_batch(
    client_for, mary, alice, harbour_batch, riverside_patient, bob
):
    stray = TreatmentSessionFactory(patient=riverside_patient, practitioner=bob, batches=[harbour_batch])

    response = client_for(mary).get(harbour_batch.get_absolute_url())

    assert stray.pk not in [recovery.session_id for recovery in response.context["recoveries"]]
    assert riverside_patient.full_name not in response.content.decode()


def test_batch_used_twice_in_one_session_lists_the_session_once(
    client_for, mary, alice, harbour_patient, harbour_batch
):
    TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, batches=[harbour_batch, harbour_batch])

    response = client_for(mary).get(harbour_batch.get_absolute_url())

    assert len(response.context["recoveries"]) == 1


@pytest.mark.parametrize("products", [2, 40])
def test_product_list_queries_do_not_grow_with_rows(client_for, mary, harbour, products, django_assert_max_num_queries):
    for _ in range(products):
        BatchFactory(product__clinic=harbour)
    client = client_for(mary)

    # A manager's session is read with the two-factor device that verified it.
    with django_assert_max_num_queries(9):
        response = client.get(PRODUCT_LIST_URL)

    assert response.status_code == 200
    assert len(response.context["products"]) == products


@pytest.mark.parametrize("sessions", [3, 60])
def test_batch_page_queries_do_not_grow_with_sessions(
    client_for, mary, alice, harbour, harbour_batch, sessions, django_assert_max_num_queries
):
    for _ in range(sessions):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[harbour_batch])
    client = client_for(mary)

    # A manager's session is read with the two-factor device that verified it; one query asks
    # whether the lot has confirmed events, for the notice to its manufacturer.
    with django_assert_max_num_queries(15):
        assert client.get(harbour_batch.get_absolute_url()).status_code == 200


def test_a_patient_treated_twice_with_the_batch_is_one_patient_to_contact(
    client_for, mary, alice, harbour_patient, harbour_batch
):
    for days in (3, 1):
        TreatmentSessionFactory(
            patient=harbour_patient,
            practitioner=alice,
            batches=[harbour_batch],
            performed_at=timezone.now() - timedelta(days=days),
        )

    contacts = client_for(mary).get(harbour_batch.get_absolute_url()).context["patients_to_contact"]

    assert contacts.paginator.count == 1
    assert list(contacts) == [harbour_patient]


def test_the_batch_page_pages_its_patients_to_contact_and_the_csv_holds_them_all(
    client_for, mary, alice, harbour, harbour_batch
):
    for _ in range(55):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[harbour_batch])
    client = client_for(mary)

    first = client.get(harbour_batch.get_absolute_url())
    second = client.get(harbour_batch.get_absolute_url(), {"contacts": 2})
    csv_rows = b"".join(client.get(reverse("batches:contacts", args=[harbour_batch.pk])).streaming_content).splitlines()

    assert len(first.context["patients_to_contact"]) == 50
    assert len(second.context["patients_to_contact"]) == 5
    assert len(csv_rows) == 56


@pytest.mark.parametrize("lot_number", ['HB"7', "HB\r\n7", "HB\t7"], ids=["quote", "line-break", "tab"])
def test_a_lot_number_must_hold_only_what_a_label_prints(client_for, mary, harbour_batch, lot_number):
    response = client_for(mary).post(batch_create_url(harbour_batch.product), batch_post(lot_number=lot_number))

    assert response.status_code == 200
    assert response.context["form"].errors == {"lot_number": [str(lot_number_validator.message)]}
    assert Batch.objects.count() == 1


def test_product_page_counts_each_batchs_sessions_once(client_for, mary, harbour_batch, django_assert_max_num_queries):
    unused = BatchFactory(product=harbour_batch.product, lot_number="UNUSED-1")
    other = BatchFactory(product=harbour_batch.product, lot_number="OTHER-1")
    TreatmentSessionFactory.create_batch(2, clinic=harbour_batch.product.clinic, batches=[harbour_batch])
    # One session drew on the same batch twice (two areas from one vial): still one session.
    TreatmentSessionFactory(clinic=harbour_batch.product.clinic, batches=[harbour_batch, harbour_batch, other])
    client = client_for(mary)

    # One query for the batches and their counts, whatever the number of sessions.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("treatments:product_detail", args=[harbour_batch.product.pk]))

    counts = {batch.lot_number: batch.session_count for batch in response.context["batches"]}
    assert counts == {harbour_batch.lot_number: 3, unused.lot_number: 0, other.lot_number: 1}
