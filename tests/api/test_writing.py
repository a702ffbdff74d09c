"""A token with the write scope adds patients and logs sessions through the same forms and services as
staff do: the same rules, refused in the same words, and nothing stored on a refusal."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.forms import CONSENT_NEEDS_CONTACT, DATE_OF_BIRTH_IN_FUTURE
from patients.models import Patient
from recovery.models import CheckIn, Recovery
from treatments import services
from treatments.forms import BATCH_NOT_FOUND, PATIENT_NOT_FOUND, PRACTITIONER_NOT_FOUND
from treatments.models import Batch, TreatmentSession

from ..factories import BatchFactory

PATIENTS = reverse("api:patients")
SESSIONS = reverse("api:sessions")


def new_patient(**fields):
    return {
        "first_name": "Nora",
        "last_name": "Newman",
        "date_of_birth": "1985-04-12",
        "email": "nora.newman@example.com",
        "phone": "07400 900456",
        "consents_to_check_ins": True,
        **fields,
    }


def test_a_token_adds_a_patient_to_its_clinic(api, harbour, mary):
    response = api.post(PATIENTS, new_patient())

    assert response.status_code == 201
    patient = Patient.objects.get()
    assert response["Location"] == "http://testserver" + reverse("api:patient", args=[patient.pk])
    assert response.json()["phone"] == "+447400900456"
    assert (patient.clinic, patient.full_name, str(patient.phone)) == (harbour, "Nora Newman", "+44 7400 900456")
    # Recorded in the record's history under the manager who created the token.
    assert patient.history.get().history_user == mary


@pytest.mark.parametrize(
    ("fields", "field", "form_fields"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", {"date_of_birth": "2999-01-01"}),
        ({"email": "", "phone": ""}, "consents_to_check_ins", {"email": "", "phone": ""}),
        ({"phone": "12"}, "phone", {"phone": "12"}),
        ({"email": "nora@"}, "email", {"email": "nora@"}),
    ],
    ids=["born-in-the-future", "consent-without-contact", "not-a-number", "not-an-email"],
)
def test_a_refused_patient_gets_the_patient_forms_words_and_nothing_is_stored(
    api, client_for, alice, harbour, fields, field, form_fields
):
    response = api.post(PATIENTS, new_patient(**fields))

    form_data = {**new_patient(**form_fields), "clinic": str(harbour.pk), "consents_to_check_ins": "on"}
    form = client_for(alice).post(reverse("patients:create"), form_data).context["form"]
    assert response.status_code == 400
    assert response.json()[field] == form.errors[field]
    assert not Patient.objects.exists()


def test_the_patient_forms_rules_are_the_ones_held(api):
    born = api.post(PATIENTS, new_patient(date_of_birth="2999-01-01")).json()
    unreachable = api.post(PATIENTS, new_patient(email="", phone="")).json()

    assert born == {"date_of_birth": [str(DATE_OF_BIRTH_IN_FUTURE)]}
    assert unreachable == {"consents_to_check_ins": [str(CONSENT_NEEDS_CONTACT)]}


def test_a_patient_that_is_not_json_of_the_right_kinds_is_refused(api):
    response = api.post(PATIENTS, new_patient(first_name=["Nora"], consents_to_check_ins="perhaps"))

    assert response.status_code == 400
    assert set(response.json()) == {"first_name", "consents_to_check_ins"}
    assert not Patient.objects.exists()


def new_session(patient, practitioner, batch, **fields):
    performed_at = timezone.localtime(timezone.now() - timedelta(hours=1), patient.clinic.zone)
    return {
        "patient": str(patient.pk),
        "practitioner": practitioner.pk,
        "performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
        "areas": ["face", "neck"],
        "technique": "nappage",
        "aftercare": ["no_makeup_24h", "drink_water"],
        "notes": "Tolerated well.",
        "products": [{"batch": str(batch.pk), "volume_ml": "2.5"}],
        **fields,
    }


def nothing_stored():
    return not TreatmentSession.objects.exists() and not Recovery.objects.exists() and not CheckIn.objects.exists()


def test_a_token_logs_a_session_and_its_recovery_opens(api, mary, alice, harbour_patient, harbour_batch):
    response = api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch))

    assert response.status_code == 201, response.json()
    session = TreatmentSession.objects.get()
    data = response.json()
    assert data["id"] == str(session.pk)
    assert response["Location"] == "http://testserver" + reverse("api:session", args=[session.pk])
    assert (session.practitioner, session.recorded_by, session.series_number) == (alice, mary, 1)
    assert [(p["lot_number"], p["volume_ml"]) for p in data["products"]] == [("HB-001", "2.50")]
    assert Recovery.objects.filter(pk=session.pk).exists()
    assert CheckIn.objects.filter(session=session).count() == 5


def test_a_time_without_an_offset_is_on_the_patients_clinic_clock(api, alice, harbour, harbour_patient, harbour_batch):
    harbour.time_zone = "Europe/Paris"
    harbour.save()

    api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch, performed_at="2026-07-01T10:30"))

    assert TreatmentSession.objects.get().performed_at == timezone.make_aware(timezone.datetime(2026, 7, 1, 8, 30), UTC)


def test_a_time_with_an_offset_is_that_moment(api, alice, harbour_patient, harbour_batch):
    api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch, performed_at="2026-07-01T10:30:00+02:00"))

    assert TreatmentSession.objects.get().performed_at == timezone.make_aware(timezone.datetime(2026, 7, 1, 8, 30), UTC)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"performed_at": "in an hour"}, "performed_at", services.SESSION_IN_FUTURE),
        ({"areas": []}, "areas", services.NO_AREA),
        ({"areas": ["other"]}, "area_other", services.OTHER_AREA_UNDESCRIBED),
        ({"technique": "other"}, "technique_other", services.OTHER_TECHNIQUE_UNDESCRIBED),
        ({"products": []}, "products", services.NO_PRODUCT),
        ({"zones": ["moon"]}, "zones", services.UNKNOWN_ZONE),
    ],
    ids=["future-time", "no-area", "undescribed-other-area", "undescribed-technique", "no-product", "unknown-zone"],
)
def test_a_refused_session_gets_the_session_rules_words_and_nothing_is_stored(
    api, alice, harbour_patient, harbour_batch, fields, field, message
):
    if fields.get("performed_at") == "in an hour":
        fields["performed_at"] = (timezone.now() + timedelta(hours=1)).isoformat()
    response = api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch, **fields))

    assert response.status_code == 400
    assert response.json() == {field: [str(message)]}
    assert nothing_stored()


def test_a_quarantined_batch_is_refused_in_the_session_forms_words(
    api, client_for, alice, harbour, harbour_patient, harbour_batch
):
    services.batch_quarantine(batch=harbour_batch, reason="Cloudy vials", by=alice)
    # Quarantined before the session: a session done before the quarantine is still recorded.
    Batch.objects.filter(pk=harbour_batch.pk).update(quarantined_at=timezone.now() - timedelta(days=1))

    response = api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch))

    expected = services.BATCH_QUARANTINED % {"lot": "HB-001", "reason": "Cloudy vials"}
    assert response.status_code == 400
    assert response.json() == {"products": [str(expected)]}
    assert nothing_stored()


def test_another_clinics_patient_practitioner_or_batch_is_not_found(
    api, alice, bob, harbour_patient, harbour_batch, riverside_patient, riverside_batch
):
    refusals = {
        "patient": api.post(SESSIONS, new_session(riverside_patient, alice, harbour_batch)).json(),
        "practitioner": api.post(SESSIONS, new_session(harbour_patient, bob, harbour_batch)).json(),
        "batch": api.post(SESSIONS, new_session(harbour_patient, alice, riverside_batch)).json(),
    }

    assert refusals == {
        "patient": {"patient": [str(PATIENT_NOT_FOUND)]},
        "practitioner": {"practitioner": [str(PRACTITIONER_NOT_FOUND)]},
        "batch": {"products": {"0": {"batch": [str(BATCH_NOT_FOUND)]}}},
    }
    assert nothing_stored()


def test_more_products_than_the_form_takes_are_refused(api, alice, harbour, harbour_patient):
    batch = BatchFactory(product__clinic=harbour)
    products = [{"batch": str(batch.pk), "volume_ml": "1"}] * 11

    response = api.post(SESSIONS, new_session(harbour_patient, alice, batch, products=products))

    assert response.json() == {"products": [str(services.TOO_MANY_PRODUCTS)]}
    assert nothing_stored()


def test_a_session_charted_point_by_point_keeps_its_points(api, alice, harbour_patient, harbour_batch):
    points = [
        {"diagram": "face_front", "zone": "forehead", "x": "0.5", "y": "0.2", "product": 0, "volume_ml": "1.25"},
        {"diagram": "face_front", "zone": "forehead", "x": "0.45", "y": "0.25", "product": 0, "volume_ml": "1.25"},
    ]
    fields = {"areas": ["face"], "zones": ["forehead"], "points": points}

    response = api.post(SESSIONS, new_session(harbour_patient, alice, harbour_batch, **fields))

    assert response.status_code == 201, response.json()
    assert response.json()["zones"] == ["forehead"]
    assert [(p["x"], p["volume_ml"], p["product"]) for p in response.json()["points"]] == [
        ("0.5000", "1.25", 0),
        ("0.4500", "1.25", 0),
    ]
