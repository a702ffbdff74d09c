"""The session form's type-ahead searches: scoped, paged, usable batches only, nearest expiry first."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..factories import BatchFactory, PatientFactory, ProductFactory

PATIENTS = reverse("treatments:patient_search")
BATCHES = reverse("treatments:batch_search")


def test_patients_are_found_by_every_word_typed_in_the_users_clinics_only(client_for, alice, harbour, riverside):
    PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    PatientFactory(clinic=harbour, first_name="Hannah", last_name="Hill")
    PatientFactory(clinic=riverside, first_name="Hannah", last_name="Harbour")

    found = client_for(alice).get(PATIENTS, {"q": "hann harb"}).json()

    assert [r["text"].split(",")[0] for r in found["results"]] == ["Hannah Harbour"]


def test_a_clinic_groups_patients_come_a_page_at_a_time(client_for, alice, harbour):
    PatientFactory.create_batch(25, clinic=harbour, last_name="Smith")
    client = client_for(alice)

    first = client.get(PATIENTS, {"q": "smith"}).json()
    second = client.get(PATIENTS, {"q": "smith", "page": 2}).json()

    assert (len(first["results"]), first["has_more"]) == (20, True)
    assert (len(second["results"]), second["has_more"]) == (5, False)


def test_only_usable_batches_are_offered_nearest_expiry_first_with_the_expiry_shown(client_for, alice, harbour):
    product = ProductFactory(clinic=harbour, name="Hydra Boost")
    today = timezone.localdate()
    later = BatchFactory(product=product, lot_number="HB-LATER", expiry_date=today + timedelta(days=300))
    sooner = BatchFactory(product=product, lot_number="HB-SOONER", expiry_date=today + timedelta(days=20))
    BatchFactory(
        product=product,
        lot_number="HB-OLD",
        expiry_date=today - timedelta(days=1),
        received_on=today - timedelta(days=90),
    )
    BatchFactory(product=product, lot_number="HB-HELD", quarantined_at=timezone.now(), quarantine_reason="Recall")
    BatchFactory(product__clinic=harbour, product__name="PN Repair", lot_number="PN-1")

    found = client_for(alice).get(BATCHES, {"q": "hydra", "product": str(product.pk)}).json()

    assert [r["value"] for r in found["results"]] == [str(sooner.pk), str(later.pk)]
    assert "expires" in found["results"][0]["text"]


def test_another_clinics_batches_are_never_offered(client_for, alice, riverside_batch):
    found = client_for(alice).get(BATCHES, {"q": riverside_batch.lot_number}).json()

    assert found["results"] == []


def test_a_search_too_long_is_refused_with_a_message(client_for, alice):
    response = client_for(alice).get(PATIENTS, {"q": "x" * 101})

    assert response.status_code == 400
    assert "at most 100 characters" in response.json()["errors"]["q"][0]


def test_the_searches_read_a_bounded_number_of_queries(client_for, alice, harbour, django_assert_max_num_queries):
    PatientFactory.create_batch(30, clinic=harbour)
    BatchFactory.create_batch(30, product__clinic=harbour)
    client = client_for(alice)

    with django_assert_max_num_queries(8):
        client.get(PATIENTS)
    with django_assert_max_num_queries(8):
        client.get(BATCHES)


def test_a_logged_out_visitor_is_sent_to_log_in(client):
    assert client.get(PATIENTS).status_code == 302


def test_once_the_patient_is_chosen_only_their_clinics_batches_are_offered(client_for, grace, harbour, riverside):
    harbour_batch = BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-1")
    BatchFactory(product__clinic=riverside, product__name="Hydra Boost", lot_number="RV-1")
    patient = PatientFactory(clinic=harbour)

    found = client_for(grace).get(BATCHES, {"q": "hydra", "patient": str(patient.pk)}).json()
    both = client_for(grace).get(BATCHES, {"q": "hydra"}).json()

    assert [r["value"] for r in found["results"]] == [str(harbour_batch.pk)]
    assert len(both["results"]) == 2
