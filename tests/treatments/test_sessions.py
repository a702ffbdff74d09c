from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from clinics.models import Role
from treatments import services
from treatments.forms import BATCH_NOT_FOUND, PATIENT_NOT_FOUND, PRACTITIONER_NOT_FOUND
from treatments.models import Aftercare, Area, SessionArea, SessionProduct, Technique, TreatmentSession

from ..factories import BatchFactory, ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

CREATE_URL = reverse("recovery:session_create")


def session_post(patient, practitioner, batch, **overrides):
    """The fields a practitioner fills in on the session form, one product row."""
    performed_at = timezone.localtime(timezone.now() - timedelta(hours=1), patient.clinic.zone)
    data = {
        "session-patient": str(patient.pk),
        "session-performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
        "session-practitioner": str(practitioner.pk),
        "session-areas": [Area.FACE, Area.NECK],
        "session-area_other": "",
        "session-technique": Technique.NAPPAGE,
        "session-technique_other": "",
        "session-aftercare": [Aftercare.NO_MAKEUP_24H, Aftercare.DRINK_WATER],
        "session-notes": "Tolerated well.",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "1",
        "products-MAX_NUM_FORMS": "1000",
        "products-0-batch": str(batch.pk),
        "products-0-volume_ml": "2.5",
    }
    data.update(overrides)
    return data


def nothing_saved():
    return not TreatmentSession.objects.exists() and not SessionProduct.objects.exists()


def test_practitioner_records_a_session_with_areas_products_and_aftercare(
    client_for, alice, harbour_patient, harbour_batch
):
    response = client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, harbour_batch))

    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.clinic == harbour_patient.clinic
    assert session.practitioner == alice
    assert session.recorded_by == alice
    assert sorted(session.areas.values_list("area", flat=True)) == [Area.FACE, Area.NECK]
    assert list(session.products_used.values_list("batch", "volume_ml")) == [(harbour_batch.pk, Decimal("2.50"))]
    # Kept with each use, for the batch's page to list its uses by time and count their patients.
    assert list(session.products_used.values_list("performed_at", "patient")) == [
        (session.performed_at, harbour_patient.pk)
    ]
    assert session.aftercare == [Aftercare.NO_MAKEUP_24H, Aftercare.DRINK_WATER]
    assert session.notes == "Tolerated well."


def test_session_time_is_the_wall_clock_time_at_the_patients_clinic(client_for, alice, harbour_patient, harbour_batch):
    data = session_post(harbour_patient, alice, harbour_batch, **{"session-performed_at": "2026-07-01T10:30"})

    client_for(alice).post(CREATE_URL, data)

    performed_at = TreatmentSession.objects.get().performed_at
    assert (
        timezone.localtime(performed_at, harbour_patient.clinic.zone).strftime("%Y-%m-%d %H:%M") == "2026-07-01 10:30"
    )


def test_session_with_several_products_saves_every_row(client_for, alice, harbour_patient, harbour_batch, harbour):
    second = BatchFactory(product__clinic=harbour, lot_number="PN-7")
    data = session_post(harbour_patient, alice, harbour_batch)
    data.update({"products-TOTAL_FORMS": "2", "products-1-batch": str(second.pk), "products-1-volume_ml": "1"})

    client_for(alice).post(CREATE_URL, data)

    assert TreatmentSession.objects.get().products_used.count() == 2


def test_session_page_shows_the_whole_record(client_for, alice, harbour_patient, harbour_batch):
    client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, harbour_batch))
    session = TreatmentSession.objects.get()

    page = client_for(alice).get(session.get_absolute_url()).content.decode()

    shown = ["Hannah Harbour", "Face", "Neck", "Hydra Boost", "HB-001", "2.50&nbsp;mL", "Nappage", "Drink water"]
    for expected in shown:
        assert expected in page
    assert "session 1 of the series" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"session-performed_at": "2099-01-01T09:00"},
            "performed_at",
            services.SESSION_IN_FUTURE,
        ),
        ({"products-0-volume_ml": "0"}, "volume_ml", services.VOLUME_NOT_POSITIVE),
        ({"products-0-volume_ml": "-1.5"}, "volume_ml", services.VOLUME_NOT_POSITIVE),
        ({"session-areas": []}, "areas", services.NO_AREA),
        ({"session-areas": [Area.OTHER]}, "area_other", services.OTHER_AREA_UNDESCRIBED),
        ({"session-technique": Technique.OTHER}, "technique_other", services.OTHER_TECHNIQUE_UNDESCRIBED),
    ],
    ids=["future-time", "zero-volume", "negative-volume", "no-area", "undescribed-other-area", "undescribed-technique"],
)
def test_bad_input_is_shown_next_to_its_field_and_saves_nothing(
    client_for, alice, harbour_patient, harbour_batch, overrides, field, message
):
    response = client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, harbour_batch, **overrides))

    assert response.status_code == 200
    entry = response.context["entry"]
    errors = entry.form.errors.get(field, []) + [e for form in entry.products for e in form.errors.get(field, [])]
    assert errors == [str(message)]
    assert nothing_saved()


def test_session_without_a_product_is_refused(client_for, alice, harbour_patient, harbour_batch):
    data = session_post(harbour_patient, alice, harbour_batch, **{"products-0-batch": "", "products-0-volume_ml": ""})

    response = client_for(alice).post(CREATE_URL, data)

    assert response.context["entry"].products.non_form_errors() == [str(services.NO_PRODUCT)]
    assert nothing_saved()


def test_expired_batch_is_refused_with_its_expiry_date(client_for, alice, harbour_patient, harbour):
    expired = BatchFactory(
        product__clinic=harbour,
        lot_number="OLD-1",
        expiry_date=timezone.localdate() - timedelta(days=3),
        received_on=timezone.localdate() - timedelta(days=300),
    )

    response = client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, expired))

    expiry = date_format(expired.expiry_date, "j N Y")
    assert response.context["entry"].products.forms[0].errors["batch"] == [
        f"Lot OLD-1 expired on {expiry}, before the session date."
    ]
    assert nothing_saved()


def test_batch_that_expired_after_a_back_dated_session_is_accepted(client_for, alice, harbour_patient, harbour):
    batch = BatchFactory(
        product__clinic=harbour,
        expiry_date=timezone.localdate() - timedelta(days=1),
        received_on=timezone.localdate() - timedelta(days=300),
    )
    three_days_ago = timezone.localtime(timezone.now() - timedelta(days=3), harbour.zone).strftime("%Y-%m-%dT%H:%M")

    client_for(alice).post(
        CREATE_URL, session_post(harbour_patient, alice, batch, **{"session-performed_at": three_days_ago})
    )

    assert TreatmentSession.objects.count() == 1


def test_batch_of_a_clinic_the_user_does_not_work_at_is_not_a_choice(
    client_for, alice, harbour_patient, harbour_batch, riverside_batch
):
    data = session_post(harbour_patient, alice, harbour_batch, **{"products-0-batch": str(riverside_batch.pk)})

    response = client_for(alice).post(CREATE_URL, data)

    assert response.context["entry"].products.forms[0].errors["batch"] == [str(BATCH_NOT_FOUND)]
    assert nothing_saved()


def test_batch_of_the_users_other_clinic_is_refused_for_this_patient(
    client_for, grace, harbour_patient, harbour_batch, riverside_batch
):
    data = session_post(harbour_patient, grace, harbour_batch, **{"products-0-batch": str(riverside_batch.pk)})

    response = client_for(grace).post(CREATE_URL, data)

    assert response.context["entry"].products.forms[0].errors["batch"] == [str(services.BATCH_OF_ANOTHER_CLINIC)]
    assert nothing_saved()


def test_patient_of_another_clinic_is_refused(client_for, alice, riverside_patient, harbour_batch):
    response = client_for(alice).post(CREATE_URL, session_post(riverside_patient, alice, harbour_batch))

    assert response.context["entry"].form.errors["patient"] == [str(PATIENT_NOT_FOUND)]
    assert nothing_saved()


def test_practitioner_of_another_clinic_is_refused(client_for, grace, bob, harbour_patient, harbour_batch):
    response = client_for(grace).post(CREATE_URL, session_post(harbour_patient, bob, harbour_batch))

    assert response.context["entry"].form.errors["practitioner"] == [str(services.PRACTITIONER_NOT_IN_CLINIC)]
    assert nothing_saved()


def test_rejected_form_keeps_what_was_typed(client_for, alice, harbour_patient, harbour_batch):
    data = session_post(harbour_patient, alice, harbour_batch, **{"products-0-volume_ml": "0"})

    page = client_for(alice).post(CREATE_URL, data).content.decode()

    assert "Tolerated well." in page
    assert f'value="{harbour_batch.pk}" selected' in page


def test_session_form_preselects_the_patient_from_the_patient_page(client_for, alice, harbour_patient):
    page = client_for(alice).get(CREATE_URL, {"patient": str(harbour_patient.pk)}).content.decode()

    assert f'value="{harbour_patient.pk}" selected' in page


def test_session_form_carries_only_the_chosen_patient_and_never_another_clinics(
    client_for, alice, harbour_patient, riverside_patient, harbour_batch, riverside_batch
):
    client = client_for(alice)

    chosen = client.get(CREATE_URL, {"patient": str(harbour_patient.pk)}).content.decode()
    refused = client.get(CREATE_URL, {"patient": str(riverside_patient.pk)}).content.decode()

    assert f'<option value="{harbour_patient.pk}" selected>' in chosen
    assert str(harbour_batch.pk) not in chosen
    assert str(riverside_patient.pk) not in refused.replace(f"patient={riverside_patient.pk}", "")
    assert str(riverside_batch.pk) not in refused


def test_a_failure_half_way_saves_nothing(monkeypatch, alice, harbour_patient, harbour_batch):
    def fail(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(SessionProduct.objects, "bulk_create", fail)

    with pytest.raises(IntegrityError):
        services.session_create(
            patient=harbour_patient,
            practitioner=alice,
            performed_at=timezone.now() - timedelta(hours=1),
            areas=[services.AreaTreated(area=Area.FACE)],
            products=[services.ProductUse(batch=harbour_batch, volume_ml=Decimal("1"))],
            technique=Technique.NAPPAGE,
            aftercare=[],
            recorded_by=alice,
        )

    assert not TreatmentSession.objects.exists()
    assert not SessionArea.objects.exists()


def test_service_refuses_what_the_form_would_refuse(alice, harbour_patient, riverside_batch):
    with pytest.raises(services.ValidationError) as error:
        services.session_create(
            patient=harbour_patient,
            practitioner=alice,
            performed_at=timezone.now() + timedelta(hours=1),
            areas=[],
            products=[services.ProductUse(batch=riverside_batch, volume_ml=Decimal("0"))],
            technique=Technique.NAPPAGE,
            aftercare=[],
            recorded_by=alice,
        )

    assert error.value.message_dict == {
        "performed_at": [str(services.SESSION_IN_FUTURE)],
        "areas": [str(services.NO_AREA)],
        "products": [str(services.BATCH_OF_ANOTHER_CLINIC), str(services.VOLUME_NOT_POSITIVE)],
    }
    assert nothing_saved()


def test_series_number_counts_the_patients_sessions_in_time_order(harbour_patient, alice):
    now = timezone.now()
    third = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=1))
    first = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=60))
    second = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=30))
    TreatmentSessionFactory(practitioner=alice, performed_at=now - timedelta(days=90))

    numbers = dict(TreatmentSession.objects.values_list("pk", "series_number"))

    assert [numbers[first.pk], numbers[second.pk], numbers[third.pk]] == [1, 2, 3]


def test_a_session_logged_late_takes_its_place_in_the_series(harbour_patient, alice, harbour_batch):
    now = timezone.now()
    recent = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=2))

    late = services.session_create(
        patient=harbour_patient,
        practitioner=alice,
        performed_at=now - timedelta(days=20),
        areas=[services.AreaTreated(area=Area.FACE)],
        products=[services.ProductUse(batch=harbour_batch, volume_ml=Decimal("1"))],
        technique=Technique.NAPPAGE,
        aftercare=[],
        recorded_by=alice,
    )

    recent.refresh_from_db()
    assert (late.series_number, recent.series_number) == (1, 2)


def test_practitioner_of_another_clinic_cannot_open_a_session(client_for, bob, alice, harbour_patient):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)

    assert client_for(bob).get(session.get_absolute_url()).status_code == 404


def test_session_list_shows_only_the_users_clinics(client_for, alice, bob, harbour_patient, riverside_patient):
    TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)
    TreatmentSessionFactory(patient=riverside_patient, practitioner=bob)

    page = client_for(alice).get(reverse("treatments:session_list")).content.decode()

    assert "Hannah Harbour" in page
    assert "Rita Rivers" not in page


@pytest.mark.parametrize("sessions", [3, 60])
def test_session_list_queries_do_not_grow_with_rows(
    client_for, alice, harbour, sessions, django_assert_max_num_queries
):
    batch = BatchFactory(product__clinic=harbour)
    for _ in range(sessions):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[batch])
    client = client_for(alice)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("treatments:session_list"))

    assert response.status_code == 200


def test_database_refuses_a_zero_volume(harbour_patient, alice, harbour_batch):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, batches=[harbour_batch])

    with pytest.raises(IntegrityError):
        SessionProduct.objects.create(
            session=session,
            batch=harbour_batch,
            volume_ml=Decimal("0"),
            performed_at=session.performed_at,
            patient=session.patient,
        )


def test_database_refuses_the_same_area_twice_in_a_session(harbour_patient, alice):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, areas=[Area.FACE])

    with pytest.raises(IntegrityError):
        SessionArea.objects.create(session=session, area=Area.FACE)


def test_database_refuses_an_undescribed_other_area(harbour_patient, alice):
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice)

    with pytest.raises(IntegrityError):
        SessionArea.objects.create(session=session, area=Area.OTHER, description="")


def test_member_of_two_clinics_may_log_for_either(client_for, harbour, riverside_patient, riverside_batch):
    nurse = MembershipFactory(clinic=harbour, role=Role.PRACTITIONER).user
    MembershipFactory(user=nurse, clinic=riverside_patient.clinic, role=Role.PRACTITIONER)

    client_for(nurse).post(CREATE_URL, session_post(riverside_patient, nurse, riverside_batch))

    assert TreatmentSession.objects.get().clinic == riverside_patient.clinic


def test_practitioner_of_another_clinic_is_not_a_choice(client_for, alice, bob, harbour_patient, harbour_batch):
    response = client_for(alice).post(CREATE_URL, session_post(harbour_patient, bob, harbour_batch))

    assert response.context["entry"].form.errors["practitioner"] == [str(PRACTITIONER_NOT_FOUND)]
    assert nothing_saved()


def test_service_refuses_a_recorder_from_another_clinic(bob, alice, harbour_patient, harbour_batch):
    with pytest.raises(services.ValidationError) as error:
        services.session_create(
            patient=harbour_patient,
            practitioner=alice,
            performed_at=timezone.now() - timedelta(hours=1),
            areas=[services.AreaTreated(area=Area.FACE)],
            products=[services.ProductUse(batch=harbour_batch, volume_ml=Decimal("1"))],
            technique=Technique.NAPPAGE,
            aftercare=["tattoo"],
            recorded_by=bob,
        )

    assert error.value.message_dict == {
        "recorded_by": [str(services.RECORDER_NOT_IN_CLINIC)],
        "aftercare": [str(services.UNKNOWN_AFTERCARE)],
    }


def test_patients_of_the_same_name_are_told_apart_by_date_of_birth(client_for, alice, harbour):
    PatientFactory(clinic=harbour, first_name="Ava", last_name="White", date_of_birth=date(1980, 1, 2))
    PatientFactory(clinic=harbour, first_name="Ava", last_name="White", date_of_birth=date(1991, 5, 6))

    found = client_for(alice).get(reverse("treatments:patient_search"), {"q": "ava white"}).json()

    assert sorted(r["text"] for r in found["results"]) == ["Ava White, born 02/01/1980", "Ava White, born 06/05/1991"]


def test_database_refuses_the_same_lot_number_in_another_case(harbour_batch):
    with pytest.raises(IntegrityError):
        BatchFactory(product=harbour_batch.product, lot_number=harbour_batch.lot_number.lower())


@pytest.fixture
def new_york(db):
    return ClinicFactory(name="Madison Skin", time_zone="America/New_York")


def test_staff_of_clinics_in_two_time_zones_log_a_session_at_the_patients_local_time(client_for, grace, new_york):
    MembershipFactory(user=grace, clinic=new_york, role=Role.MANAGER)
    patient = PatientFactory(clinic=new_york)
    batch = BatchFactory(product__clinic=new_york)
    client = client_for(grace)

    initial = client.get(CREATE_URL, {"patient": str(patient.pk)}).context["entry"].form.initial["performed_at"]
    data = session_post(patient, grace, batch, **{"session-performed_at": initial.strftime("%Y-%m-%dT%H:%M")})
    client.post(CREATE_URL, data)

    session = TreatmentSession.objects.get()
    assert timezone.now() - session.performed_at < timedelta(minutes=2)
    page = client.get(session.get_absolute_url()).content.decode()
    assert timezone.localtime(session.performed_at, new_york.zone).strftime("%H:%M") in page


def test_batch_page_never_lists_another_clinics_session(client_for, mary, harbour_batch, riverside_patient, bob):
    TreatmentSessionFactory(patient=riverside_patient, practitioner=bob, batches=[harbour_batch])

    page = client_for(mary).get(harbour_batch.get_absolute_url()).content.decode()

    assert "Rita Rivers" not in page


@pytest.mark.parametrize("posted", [11, 100_000], ids=["eleven", "a-hundred-thousand"])
def test_a_session_form_claiming_too_many_products_is_refused_at_once(
    client_for, alice, harbour_patient, harbour_batch, posted
):
    data = session_post(harbour_patient, alice, harbour_batch, **{"products-TOTAL_FORMS": str(posted)})
    for index in range(1, 11):
        data.update({f"products-{index}-batch": str(harbour_batch.pk), f"products-{index}-volume_ml": "1"})

    response = client_for(alice).post(CREATE_URL, data)

    assert response.status_code == 200
    assert str(services.TOO_MANY_PRODUCTS) in response.content.decode()
    assert nothing_saved()
