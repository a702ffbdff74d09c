import uuid
from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from clinics.forms import NOT_YOUR_CLINIC
from patients.forms import CONSENT_NEEDS_CONTACT, DATE_OF_BIRTH_IN_FUTURE, DATE_OF_BIRTH_TOO_EARLY
from patients.models import Patient
from patients.phones import CANNOT_RECEIVE_TEXTS, NOT_A_NUMBER

from ..factories import PatientFactory, TreatmentSessionFactory

LIST_URL = reverse("patients:list")
CREATE_URL = reverse("patients:create")


def patient_post(clinic=None, **overrides):
    """What the patient form sends; a value of None leaves the field out (an unticked box)."""
    data = {
        "clinic": str(clinic.pk) if clinic else "",
        "first_name": "Nora",
        "last_name": "Newman",
        "date_of_birth": "1985-04-12",
        "email": "nora.newman@example.com",
        "phone": "+44 7400 900456",
        "sensitivities": "Lidocaine",
        "consents_to_check_ins": "on",
    }
    data.update(overrides)
    return {field: value for field, value in data.items() if value is not None}


def edit_url(patient):
    return reverse("patients:edit", args=[patient.pk])


def detail_url(patient):
    return reverse("treatments:patient_detail", args=[patient.pk])


def snapshot(patient):
    """Every stored field of the patient, to show that nothing changed."""
    return Patient.objects.filter(pk=patient.pk).values().get()


def listed(response):
    return [patient.full_name for patient in response.context["page"].object_list]


def test_single_clinic_user_gets_the_clinic_field_hidden_and_preset(client_for, alice, harbour):
    response = client_for(alice).get(CREATE_URL)

    field = response.context["form"].fields["clinic"]
    assert isinstance(field.widget, forms.HiddenInput)
    assert field.initial == harbour
    assert f'<input type="hidden" name="clinic" value="{harbour.pk}"' in response.content.decode()


def test_single_clinic_user_creates_a_patient_in_their_clinic(client_for, alice, harbour):
    response = client_for(alice).post(CREATE_URL, patient_post(harbour))

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(patient)
    assert patient.clinic == harbour
    assert (patient.first_name, patient.last_name, patient.date_of_birth) == ("Nora", "Newman", date(1985, 4, 12))
    assert (patient.email, patient.phone.as_e164) == ("nora.newman@example.com", "+447400900456")
    assert patient.sensitivities == "Lidocaine"
    assert patient.consents_to_check_ins is True


def test_manager_of_two_clinics_is_offered_both_clinics(client_for, grace, harbour, riverside):
    response = client_for(grace).get(CREATE_URL)

    field = response.context["form"].fields["clinic"]
    assert isinstance(field.widget, forms.Select)
    assert field.initial is None
    assert set(field.queryset) == {harbour, riverside}


def test_manager_of_two_clinics_must_choose_a_clinic(client_for, grace):
    response = client_for(grace).post(CREATE_URL, patient_post(clinic=None))

    assert response.status_code == 200
    assert response.context["form"].errors == {"clinic": ["This field is required."]}
    assert not Patient.objects.exists()


def test_manager_of_two_clinics_creates_a_patient_in_the_chosen_clinic(client_for, grace, riverside):
    client_for(grace).post(CREATE_URL, patient_post(riverside))

    assert Patient.objects.get().clinic == riverside


def test_practitioner_edits_a_patient(client_for, alice, harbour_patient):
    data = patient_post(harbour_patient.clinic, first_name="Hannah", last_name="Harbour-Lee", phone="+44 7400 900999")

    response = client_for(alice).post(edit_url(harbour_patient), data)

    assert response.status_code == 302
    assert response["Location"] == detail_url(harbour_patient)
    harbour_patient.refresh_from_db()
    assert (harbour_patient.last_name, harbour_patient.phone.as_e164) == ("Harbour-Lee", "+447400900999")


def test_editing_cannot_move_a_patient_to_another_clinic(client_for, grace, harbour, riverside, harbour_patient):
    client_for(grace).post(edit_url(harbour_patient), patient_post(riverside, last_name="Moved"))

    harbour_patient.refresh_from_db()
    assert harbour_patient.last_name == "Moved"
    assert harbour_patient.clinic == harbour


def test_search_matches_a_word_of_the_first_name(client_for, alice, harbour, harbour_patient):
    PatientFactory(clinic=harbour, first_name="Oliver", last_name="Quinn")

    response = client_for(alice).get(LIST_URL, {"q": "hann"})

    assert listed(response) == ["Hannah Harbour"]


def test_search_matches_a_word_of_the_last_name(client_for, alice, harbour, harbour_patient):
    PatientFactory(clinic=harbour, first_name="Oliver", last_name="Quinn")

    response = client_for(alice).get(LIST_URL, {"q": "QUINN"})

    assert listed(response) == ["Oliver Quinn"]


def test_search_with_several_words_needs_each_word_in_the_first_or_last_name(
    client_for, alice, harbour, harbour_patient
):
    PatientFactory(clinic=harbour, first_name="Oliver", last_name="Hannaford")
    PatientFactory(clinic=harbour, first_name="Oliver", last_name="Quinn")

    response = client_for(alice).get(LIST_URL, {"q": "oliver hann"})

    assert listed(response) == ["Oliver Hannaford"]


def test_search_never_finds_another_clinics_patients(client_for, bob, harbour_patient, riverside_patient):
    response = client_for(bob).get(LIST_URL, {"q": "Hannah"})

    assert listed(response) == []
    assert "No patient matches that name." in response.content.decode()


def test_patient_list_shows_twenty_five_patients_a_page(client_for, alice, harbour):
    PatientFactory.create_batch(30, clinic=harbour)
    client = client_for(alice)

    first = client.get(LIST_URL).context["page"]
    second = client.get(LIST_URL, {"page": 2}).context["page"]

    assert first.paginator.num_pages == 2
    assert len(first.object_list) == 25
    assert len(second.object_list) == 5
    assert {p.pk for p in first.object_list} | {p.pk for p in second.object_list} == set(
        Patient.objects.values_list("pk", flat=True)
    )


def test_pagination_links_keep_the_search(client_for, alice, harbour):
    PatientFactory.create_batch(26, clinic=harbour, last_name="Smith")

    page = client_for(alice).get(LIST_URL, {"q": "smith"}).content.decode()

    assert "Page 1 of 2" in page
    assert 'href="?q=smith&amp;page=2"' in page


def test_patient_list_is_in_alphabetical_order_of_last_name(client_for, alice, harbour):
    for last_name in ["Young", "Adams", "Morris"]:
        PatientFactory(clinic=harbour, first_name="Sam", last_name=last_name)

    response = client_for(alice).get(LIST_URL)

    assert listed(response) == ["Sam Adams", "Sam Morris", "Sam Young"]


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        (lambda today: today + timedelta(days=1), DATE_OF_BIRTH_IN_FUTURE),
        (lambda today: date(today.year - 121, today.month, 1), DATE_OF_BIRTH_TOO_EARLY),
    ],
    ids=["future", "over-120-years-ago"],
)
def test_implausible_date_of_birth_is_refused(client_for, alice, harbour, date_of_birth, message):
    born = date_of_birth(timezone.localdate())

    response = client_for(alice).post(CREATE_URL, patient_post(harbour, date_of_birth=born.isoformat()))

    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [str(message)]
    assert not Patient.objects.exists()


def test_consent_to_check_ins_needs_an_email_or_a_phone(client_for, alice, harbour):
    response = client_for(alice).post(CREATE_URL, patient_post(harbour, email="", phone=""))

    assert response.status_code == 200
    assert response.context["form"].errors["consents_to_check_ins"] == [str(CONSENT_NEEDS_CONTACT)]
    assert not Patient.objects.exists()


@pytest.mark.parametrize("contact", [{"email": ""}, {"phone": ""}], ids=["phone-only", "email-only"])
def test_consent_to_check_ins_with_one_way_to_reach_the_patient_is_accepted(client_for, alice, harbour, contact):
    client_for(alice).post(CREATE_URL, patient_post(harbour, **contact))

    assert Patient.objects.get().consents_to_check_ins is True


def test_patient_without_consent_needs_no_contact_details(client_for, alice, harbour):
    client_for(alice).post(CREATE_URL, patient_post(harbour, email="", phone="", consents_to_check_ins=None))

    patient = Patient.objects.get()
    assert patient.consents_to_check_ins is False
    assert (patient.email, patient.phone) == ("", "")


def test_failed_edit_changes_nothing(client_for, alice, harbour_patient):
    before = snapshot(harbour_patient)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = patient_post(harbour_patient.clinic, first_name="Changed", date_of_birth=future)

    response = client_for(alice).post(edit_url(harbour_patient), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"date_of_birth": [str(DATE_OF_BIRTH_IN_FUTURE)]}
    assert snapshot(harbour_patient) == before


@pytest.mark.parametrize("url", [detail_url, edit_url], ids=["detail", "edit"])
def test_practitioner_of_another_clinic_cannot_open_a_patient(client_for, bob, harbour_patient, url):
    assert client_for(bob).get(url(harbour_patient)).status_code == 404


def test_practitioner_of_another_clinic_cannot_edit_a_patient(client_for, bob, harbour_patient):
    before = snapshot(harbour_patient)
    data = patient_post(harbour_patient.clinic, first_name="Hacked", email="", phone="", consents_to_check_ins=None)

    response = client_for(bob).post(edit_url(harbour_patient), data)

    assert response.status_code == 404
    assert snapshot(harbour_patient) == before


def test_patient_form_offers_only_the_users_clinics(client_for, bob, riverside, harbour):
    response = client_for(bob).get(CREATE_URL)

    assert list(response.context["form"].fields["clinic"].queryset) == [riverside]


def test_patient_is_not_created_in_a_clinic_the_user_does_not_work_at(client_for, bob, harbour):
    response = client_for(bob).post(CREATE_URL, patient_post(harbour))

    assert response.status_code == 200
    assert not Patient.objects.exists()


def test_another_clinic_is_refused_as_an_invalid_choice(client_for, bob, harbour):
    response = client_for(bob).post(CREATE_URL, patient_post(harbour))

    assert response.context["form"].errors == {"clinic": [str(NOT_YOUR_CLINIC)]}


def test_patient_urls_use_uuids(harbour_patient):
    assert isinstance(harbour_patient.pk, uuid.UUID)
    assert detail_url(harbour_patient) == f"/patients/{harbour_patient.pk}/"
    assert edit_url(harbour_patient) == f"/patients/{harbour_patient.pk}/edit/"


def test_integer_patient_url_does_not_exist(client_for, alice, harbour_patient):
    assert client_for(alice).get("/patients/1/").status_code == 404


def test_patient_page_lists_their_sessions_newest_first_with_series_numbers(client_for, alice, harbour_patient):
    now = timezone.now()
    second = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=14))
    third = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=1))
    first = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=now - timedelta(days=28))
    TreatmentSessionFactory(patient=PatientFactory(clinic=harbour_patient.clinic), practitioner=alice)

    response = client_for(alice).get(detail_url(harbour_patient))

    sessions = list(response.context["sessions"])
    assert [session.pk for session in sessions] == [third.pk, second.pk, first.pk]
    assert [session.series_number for session in sessions] == [3, 2, 1]
    page = response.content.decode()
    assert page.index("Session 3 of the series") < page.index("Session 2 of the series")
    assert page.index("Session 2 of the series") < page.index("Session 1 of the series")


def test_patient_page_without_sessions_says_so(client_for, alice, harbour_patient):
    page = client_for(alice).get(detail_url(harbour_patient)).content.decode()

    assert "No sessions recorded yet." in page


@pytest.mark.parametrize("patients", [3, 60])
def test_patient_list_queries_do_not_grow_with_rows(
    client_for, alice, harbour, patients, django_assert_max_num_queries
):
    for _ in range(patients):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice)
    client = client_for(alice)

    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(patients, 25)


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("GB", "07400 900456", "+447400900456"),
        ("GB", "+44 (0)7400 900-456", "+447400900456"),
        ("FR", "06 12 34 56 78", "+33612345678"),
        ("GB", "+33 6 12 34 56 78", "+33612345678"),
    ],
    ids=["national", "international-with-trunk-zero", "french-clinic", "foreign-number"],
)
def test_a_mobile_number_is_read_in_the_clinics_country_and_kept_in_e164(
    client_for, alice, harbour, country, typed, stored
):
    harbour.country = country
    harbour.save()

    client_for(alice).post(CREATE_URL, patient_post(harbour, phone=typed))

    assert Patient.objects.get(last_name="Newman").phone.as_e164 == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("020 7946 0000", CANNOT_RECEIVE_TEXTS),
        ("0800 123 4567", CANNOT_RECEIVE_TEXTS),
        ("12345", NOT_A_NUMBER % {"example": "07400 123456"}),
        ("call me", NOT_A_NUMBER % {"example": "07400 123456"}),
    ],
    ids=["landline", "freephone", "too-short", "not-a-number"],
)
def test_a_number_that_cannot_receive_a_text_is_refused_with_a_message(client_for, alice, harbour, typed, message):
    response = client_for(alice).post(CREATE_URL, patient_post(harbour, phone=typed))

    assert response.context["form"].errors["phone"] == [message]
    assert not Patient.objects.filter(last_name="Newman").exists()


def test_editing_a_patient_keeps_their_number_and_shows_it_with_its_prefix(client_for, alice, harbour_patient):
    page = client_for(alice).get(edit_url(harbour_patient)).content.decode()

    assert 'value="+44 7400 123456"' in page
    client_for(alice).post(edit_url(harbour_patient), patient_post(harbour_patient.clinic, phone="+44 7400 123456"))
    assert Patient.objects.get(pk=harbour_patient.pk).phone.as_e164 == "+447400123456"


def test_numbers_typed_before_are_converted_to_e164_and_unreadable_ones_kept_as_typed(harbour, riverside):
    riverside.country = "FR"
    riverside.save()
    british = PatientFactory(clinic=harbour, phone="07400 900456")
    french = PatientFactory(clinic=riverside, phone="06 12 34 56 78")
    unreadable = PatientFactory(clinic=harbour, phone="ask at reception")

    migration = import_module("patients.migrations.0005_phone_e164")
    migration.numbers_in_e164(apps, None)

    assert Patient.objects.get(pk=british.pk).phone.as_e164 == "+447400900456"
    assert Patient.objects.get(pk=french.pk).phone.as_e164 == "+33612345678"
    assert str(Patient.objects.get(pk=unreadable.pk).phone) == "ask at reception"


def test_a_number_kept_from_before_does_not_stop_the_rest_of_the_record_being_changed(client_for, alice, harbour):
    patient = PatientFactory(clinic=harbour, phone="020 7946 0000", sensitivities="")

    client_for(alice).post(edit_url(patient), patient_post(harbour, phone="020 7946 0000", sensitivities="Lidocaine"))

    patient.refresh_from_db()
    assert (str(patient.phone), patient.sensitivities) == ("020 7946 0000", "Lidocaine")


def stopped(patient):
    Patient.objects.filter(pk=patient.pk).update(texts_stopped_at=timezone.now(), phone="+447400900111")
    patient.refresh_from_db()
    return patient


def test_a_stop_stays_while_staff_edit_the_rest_of_the_record(client_for, alice, harbour_patient):
    patient = stopped(harbour_patient)

    client_for(alice).post(edit_url(patient), patient_post(patient.clinic, phone="+447400900111", last_name="Lee"))

    patient.refresh_from_db()
    assert (patient.last_name, patient.texts_stopped_at is not None) == ("Lee", True)


def test_a_new_number_or_the_patients_word_lets_texts_go_again(client_for, alice, harbour, harbour_patient):
    patient = stopped(harbour_patient)
    client_for(alice).post(edit_url(patient), patient_post(harbour, phone="+447400900222"))
    patient.refresh_from_db()
    assert patient.texts_stopped_at is None

    patient = stopped(patient)
    form = client_for(alice).get(edit_url(patient)).content.decode()
    assert "The patient wants texts again" in form
    client_for(alice).post(edit_url(patient), patient_post(harbour, phone="+447400900111", texts_again="on"))
    patient.refresh_from_db()
    assert patient.texts_stopped_at is None


def test_a_date_of_birth_is_in_the_future_by_the_patients_clinic_calendar(client_for, grace, riverside, time_machine):
    """09:00 on 15 January in Sydney is still the 14th in London, the manager's first clinic."""
    riverside.time_zone = "Australia/Sydney"
    riverside.save()
    time_machine.move_to(datetime(2026, 1, 14, 22, 0, tzinfo=UTC), tick=False)
    client = client_for(grace)

    born_today = client.post(CREATE_URL, patient_post(riverside, date_of_birth="2026-01-15", phone=""))
    born_tomorrow = client.post(
        CREATE_URL, patient_post(riverside, date_of_birth="2026-01-16", phone="", last_name="Later")
    )

    assert born_today.status_code == 302
    assert born_tomorrow.context["form"].errors["date_of_birth"] == [str(DATE_OF_BIRTH_IN_FUTURE)]
    assert list(Patient.objects.values_list("last_name", flat=True)) == ["Newman"]
