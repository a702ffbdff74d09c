"""French for the clinics that work in it: the staff's pages in their chosen language, the patient's
messages and pages in the patient's (or else their clinic's), whoever sent them, and numbers and
dates as French writes them."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from checkins import guides, tasks
from checkins import services as check_ins
from recovery import notifications
from recovery.models import CheckIn, CheckInStatus, GuideMessage, Notification, ReactionType
from tests.text_messages import MemoryBackend
from treatments.models import SessionProduct

from .factories import PatientFactory, TreatmentSessionFactory


def in_french(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    MemoryBackend.outbox.clear()


@pytest.fixture
def due_check_in(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Amélie", language="fr"),
        practitioner=alice,
        performed_at=timezone.now() - timedelta(days=1),
    )
    return CheckIn.objects.create(session=session, due_at=timezone.now() - timedelta(minutes=5))


def test_the_catalogue_has_a_french_word_for_every_message():
    assert in_french("How are you feeling?") != "How are you feeling?"
    assert in_french("Log a session") != "Log a session"


def test_a_french_speaking_patient_gets_the_check_in_in_french_whatever_the_staffs_language(due_check_in):
    with translation.override("en-gb"):
        tasks.send_due_check_ins()

    [email] = mail.outbox
    assert email.subject == in_french("%(clinic)s: how are you feeling?") % {"clinic": "Harbour Skin Clinic"}
    assert email.subject != "Harbour Skin Clinic: how are you feeling?"
    [text] = MemoryBackend.outbox
    assert "Harbour Skin Clinic" in text["body"]
    assert text["body"] != email.body


def test_a_patient_with_no_language_of_their_own_reads_their_clinics(harbour, due_check_in):
    harbour.language = "fr"
    harbour.save()
    due_check_in.session.patient.language = ""
    due_check_in.session.patient.save()

    tasks.send_due_check_ins()

    assert mail.outbox[0].subject == in_french("%(clinic)s: how are you feeling?") % {"clinic": "Harbour Skin Clinic"}


def test_the_check_in_page_asks_in_the_patients_language_with_the_catalogues_french_words(client, due_check_in):
    CheckIn.objects.filter(pk=due_check_in.pk).update(status=CheckInStatus.SENT, sent_at=timezone.now())
    redness = ReactionType.objects.get(clinic=due_check_in.session.clinic, code="redness")

    response = client.get(check_ins.link_path(due_check_in), HTTP_ACCEPT_LANGUAGE="en-GB")

    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert in_french("How are you feeling?") in page
    assert redness.patient_wording_fr in page
    assert redness.patient_wording not in page


def test_staff_choose_their_language_and_keep_it(client_for, mary):
    client = client_for(mary)

    client.post(reverse("set_language"), {"language": "fr", "next": reverse("recovery:dashboard")})
    response = client.get(reverse("recovery:dashboard"))

    assert response["Content-Language"] == "fr"
    assert in_french("Log a session") in response.content.decode()
    client.post(reverse("set_language"), {"language": "en-gb"})
    assert "Log a session" in client.get(reverse("recovery:dashboard")).content.decode()


def test_a_volume_with_a_decimal_comma_is_read_in_french(client_for, alice, harbour_patient, harbour_batch):
    client = client_for(alice)
    client.post(reverse("set_language"), {"language": "fr"})
    performed_at = timezone.localtime(timezone.now() - timedelta(hours=1), harbour_patient.clinic.zone)

    response = client.post(
        reverse("recovery:session_create"),
        {
            "session-patient": str(harbour_patient.pk),
            "session-performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
            "session-practitioner": str(alice.pk),
            "session-areas": ["face"],
            "session-technique": "nappage",
            "products-TOTAL_FORMS": "1",
            "products-INITIAL_FORMS": "0",
            "products-0-batch": str(harbour_batch.pk),
            "products-0-volume_ml": "2,5",
        },
    )

    assert response.status_code == 302
    assert str(SessionProduct.objects.get().volume_ml) == "2.50"


def test_managers_write_the_patients_words_in_both_languages(client_for, mary, harbour):
    redness = ReactionType.objects.get(clinic=harbour, code="redness")
    url = reverse("recovery:reaction_type_edit", args=[redness.pk])
    form = {
        "staff_label": redness.staff_label,
        "patient_wording": redness.patient_wording,
        "kind": redness.kind,
        "fades_by_hours": redness.fades_by_hours,
        "attention_after_hours": redness.attention_after_hours or "",
        "attention_when_worse": "on",
        "source": redness.source,
    }

    refused = client_for(mary).post(url, {**form, "patient_wording_fr": ""})
    kept = client_for(mary).post(url, {**form, "patient_wording_fr": "Rougeur de la peau traitée"})

    assert refused.status_code == 200
    assert kept.status_code == 302
    redness.refresh_from_db()
    assert redness.patient_wording_fr == "Rougeur de la peau traitée"


def test_the_recovery_guide_is_in_the_patients_language(client, due_check_in):
    went_out = timezone.now() - timedelta(hours=20)
    GuideMessage.objects.create(session=due_check_in.session, status="sent", emailed_at=went_out, sent_at=went_out)

    page = client.get(guides.link_path(due_check_in.session), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()

    assert '<html lang="fr">' in page
    assert "Rougeur ou peau rosée" in page
    # French typography: a no-break space before the colon that follows each reaction.
    assert "Rougeur ou peau rosée</strong>\xa0: disparaît généralement" in page


def test_staff_are_emailed_about_a_patient_in_their_clinics_language(
    client, harbour, due_check_in, django_capture_on_commit_callbacks
):
    harbour.language = "fr"
    harbour.save()
    CheckIn.objects.filter(pk=due_check_in.pk).update(status=CheckInStatus.SENT, sent_at=timezone.now())
    data = {f"reaction_{t.code}": "0" for t in harbour.reaction_types.all()}
    data.update({f"flag_{q.code}": "no" for q in harbour.red_flag_questions.all()})

    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_ins.link_path(due_check_in), {**data, "flag_fever": "yes"})

    subjects = {email.subject for email in mail.outbox}
    assert subjects == {in_french("Recovery Desk: a patient of %(clinic)s needs you") % {"clinic": harbour.name}}


def test_french_staff_read_the_catalogue_in_french_and_english_staff_in_english(client_for, mary, harbour_patient):
    session = TreatmentSessionFactory(patient=harbour_patient, performed_at=timezone.now() - timedelta(hours=3))
    client = client_for(mary)
    report_form = reverse("photos:report_create", args=[session.pk])

    client.post(reverse("set_language"), {"language": "fr"})
    french = client.get(report_form).content.decode() + client.get(reverse("recovery:catalogue")).content.decode()
    client.post(reverse("set_language"), {"language": "en-gb"})
    english = client.get(report_form).content.decode()

    assert "Œdème (gonflement)" in french
    assert "Trouble visuel" in french
    assert "R\xa0: 24 à 48" in french
    assert "Œdème (gonflement)" not in english
    assert "Swelling" in english


def test_managers_write_the_staff_label_and_source_in_french_too(client_for, mary, harbour):
    swelling = ReactionType.objects.get(clinic=harbour, code="swelling")
    form = {
        "staff_label": swelling.staff_label,
        "staff_label_fr": "Gonflement",
        "patient_wording": swelling.patient_wording,
        "patient_wording_fr": swelling.patient_wording_fr,
        "kind": swelling.kind,
        "fades_by_hours": swelling.fades_by_hours,
        "attention_after_hours": swelling.attention_after_hours or "",
        "attention_when_worse": "on",
        "source": swelling.source,
        "source_fr": "Notre lecture",
    }

    response = client_for(mary).post(reverse("recovery:reaction_type_edit", args=[swelling.pk]), form)

    assert response.status_code == 302
    swelling.refresh_from_db()
    assert (swelling.staff_label_fr, swelling.source_fr) == ("Gonflement", "Notre lecture")


def test_a_manager_who_chose_french_is_emailed_in_french_by_an_english_clinic(client_for, mary, harbour):
    client_for(mary).post(reverse("set_language"), {"language": "fr"})
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=mary)
    notification = Notification.objects.create(recipient=mary, recovery=session.recovery, kind="overdue", event_key="x")

    notifications.notification_email(notification_id=notification.pk, base_url="https://desk.example")

    [email] = mail.outbox
    assert email.subject == in_french("Recovery Desk: a patient of %(clinic)s needs you") % {"clinic": harbour.name}


def test_a_manager_who_chose_english_is_emailed_in_english_by_a_french_clinic(client_for, mary, harbour):
    harbour.language = "fr"
    harbour.save()
    client_for(mary).post(reverse("set_language"), {"language": "en-gb"})
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=mary)
    notification = Notification.objects.create(recipient=mary, recovery=session.recovery, kind="overdue", event_key="x")

    notifications.notification_email(notification_id=notification.pk, base_url="https://desk.example")

    assert mail.outbox[0].subject == f"Recovery Desk: a patient of {harbour.name} needs you"


def test_a_language_that_is_not_offered_is_not_kept(client_for, mary):
    client_for(mary).post(reverse("set_language"), {"language": "xx"})

    mary.refresh_from_db()
    assert mary.language == ""
