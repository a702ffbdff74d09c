"""Log the next session of a series: the form starts from the previous session, nothing is saved."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from treatments.models import Area, Technique, TreatmentSession

from ..factories import BatchFactory, PatientFactory, ProductFactory, TreatmentSessionFactory

CREATE_URL = reverse("recovery:session_create")


def previous_session(harbour, alice, *batches):
    return TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=timezone.now() - timedelta(days=14),
        areas=[Area.FACE, Area.NECK],
        technique=Technique.PAPULES,
        aftercare=["no_makeup_24h", "cold_compress"],
        batches=list(batches),
    )


def form_of(client, session):
    response = client.get(f"{CREATE_URL}?after={session.pk}")
    return response, response.context["entry"]


def test_the_next_session_starts_from_the_previous_ones_areas_technique_aftercare_and_batch(client_for, alice, harbour):
    batch = BatchFactory(product__clinic=harbour, lot_number="HB-001")
    previous = previous_session(harbour, alice, batch)

    response, entry = form_of(client_for(alice), previous)

    initial = entry.form.initial
    assert initial["patient"] == previous.patient
    assert sorted(initial["areas"]) == [Area.FACE, Area.NECK]
    assert initial["technique"] == Technique.PAPULES
    assert initial["aftercare"] == ["no_makeup_24h", "cold_compress"]
    assert [(p["batch"], p["volume_ml"]) for p in entry.products.initial] == [
        (batch, previous.products_used.get().volume_ml)
    ]
    assert "Filled in from session 1 of the series" in response.content.decode()
    assert TreatmentSession.objects.count() == 1


def test_an_expired_or_quarantined_batch_gives_way_to_the_products_newest_usable_one(client_for, alice, harbour):
    product = ProductFactory(clinic=harbour, name="Hydra Boost")
    expired_since = BatchFactory(
        product=product, lot_number="OLD", expiry_date=timezone.localdate() + timedelta(days=1)
    )
    previous = previous_session(harbour, alice, expired_since)
    expired_since.expiry_date = timezone.localdate() - timedelta(days=1)
    expired_since.save()
    BatchFactory(product=product, lot_number="NEW-1", received_on=timezone.localdate() - timedelta(days=20))
    newest = BatchFactory(product=product, lot_number="NEW-2", received_on=timezone.localdate() - timedelta(days=2))
    BatchFactory(
        product=product,
        lot_number="QUARANTINED",
        received_on=timezone.localdate(),
        quarantined_at=timezone.now(),
        quarantine_reason="Nodules reported",
    )

    _response, entry = form_of(client_for(alice), previous)

    assert [p["batch"] for p in entry.products.initial] == [newest]


def test_a_product_with_no_usable_batch_is_named_and_left_for_the_practitioner_to_choose(client_for, alice, harbour):
    batch = BatchFactory(product__clinic=harbour, product__name="PN Repair", lot_number="PN-1")
    previous = previous_session(harbour, alice, batch)
    batch.quarantined_at, batch.quarantine_reason = timezone.now(), "Recall"
    batch.save()

    response, entry = form_of(client_for(alice), previous)

    assert entry.products.initial == []
    assert "PN Repair: no batch that can be used today" in response.content.decode()


def test_another_clinics_session_is_not_a_starting_point(client_for, bob, alice, harbour):
    previous = previous_session(harbour, alice, BatchFactory(product__clinic=harbour))

    response = client_for(bob).get(f"{CREATE_URL}?after={previous.pk}")

    assert response.status_code == 200
    assert response.context["series"] is None
    assert "Hannah" not in response.content.decode()


def test_the_patient_page_offers_the_next_session_of_the_series(client_for, alice, harbour):
    previous = previous_session(harbour, alice, BatchFactory(product__clinic=harbour))

    page = client_for(alice).get(previous.patient.get_absolute_url()).content.decode()

    assert f"?after={previous.pk}" in page


def test_the_next_sessions_time_is_on_the_patients_clinic_clock(client_for, grace, harbour, riverside, alice):
    riverside.time_zone = "Asia/Tokyo"
    riverside.save()
    harbour.time_zone = "America/New_York"
    harbour.save()
    previous = TreatmentSessionFactory(
        patient=PatientFactory(clinic=riverside), practitioner=grace, performed_at=timezone.now() - timedelta(days=7)
    )

    _response, entry = form_of(client_for(grace), previous)

    tokyo_now = timezone.localtime(timezone=riverside.zone).replace(second=0, microsecond=0, tzinfo=None)
    assert abs(entry.form.initial["performed_at"] - tokyo_now) < timedelta(minutes=2)
