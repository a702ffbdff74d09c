"""Erasing a patient's record: everything of the patient goes, photos from storage included."""

import html
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from audits.models import Export
from patients.models import Patient
from photos import images
from photos import services as photo_services
from photos import uploads as photo_uploads
from photos.models import Photo, PhotoSource, PhotoUpload
from recovery import complications, schedule, services
from recovery.models import (
    AuditTally,
    CheckIn,
    Complication,
    FollowUp,
    FollowUpAction,
    Notification,
    ReactionReport,
    Recovery,
)
from recovery.rules import Severity
from trail.models import RecordView, Removal
from treatments.models import TreatmentSession
from vigilance.models import EventDetails, Submission

from .. import images as pictures
from ..conftest import SESSION_AT
from ..factories import MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory
from ..photos.test_photos import stored_files


@pytest.fixture
def treated(harbour, alice, time_machine, django_capture_on_commit_callbacks):
    """Hannah's two sessions with everything that can hang off them, and Iris treated the same day."""
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    hannah = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Jones", consents_to_photos=True)
    sessions = [
        TreatmentSessionFactory(patient=hannah, practitioner=alice, performed_at=SESSION_AT - timedelta(days=14)),
        TreatmentSessionFactory(patient=hannah, practitioner=alice, performed_at=SESSION_AT),
    ]
    iris = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour, first_name="Iris"), practitioner=alice)
    for session in sessions:
        schedule.check_ins_plan(session=session)
    time_machine.move_to(SESSION_AT + timedelta(hours=30), tick=False)
    swelling = harbour.reaction_types.get(code="swelling")
    # Committed, as in service: the photo's file as sent is removed once it is kept.
    with django_capture_on_commit_callbacks(execute=True):
        report, _kept = photo_uploads.staff_report_create(
            session=sessions[1],
            reported_at=SESSION_AT + timedelta(hours=30),
            reactions=[services.ReactionEntry(reaction_type=swelling, severity=Severity.SEVERE)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=True,
            received=[photo_uploads.Received(number=1, file=pictures.heic(), area="face")],
            recorded_by=alice,
        )
    # One more, still as it was sent, waiting for a worker.
    photo_uploads.uploads_receive(
        session=sessions[1],
        received=[photo_uploads.Received(number=2, file=pictures.png(), area="face")],
        source=PhotoSource.STAFF,
        report=report,
        added_by=alice,
        hand_off=False,
    )
    photo_services.session_photos_add(
        session=sessions[1],
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
        added_by=alice,
    )
    recovery = Recovery.objects.get(session=sessions[1])
    services.follow_up_create(recovery=recovery, action=FollowUpAction.CALLED, note="Ice packs.", recorded_by=alice)
    complications.complication_record(
        recovery=recovery, complication_type="persistent_swelling_or_pain", grade=2, recorded_by=alice
    )
    export = Export.objects.create(
        clinic=harbour, requested_by=alice, start=date(2026, 3, 1), end=date(2026, 3, 31), status="done"
    )
    export.file.save("sessions-march.csv", ContentFile(b"Hannah,Jones,..."))
    return hannah, sessions, report, iris


def erase_form(patient, reason="Asked for erasure in writing on 3 March 2026."):
    return {"reason": reason, "confirm_name": patient.full_name}


def test_a_manager_erases_a_patient_and_every_trace_goes_but_the_trail(
    client_for, mary, alice, treated, django_capture_on_commit_callbacks
):
    hannah, sessions, report, iris = treated
    client_for(alice).get(hannah.get_absolute_url())
    assert len(stored_files()) == 5
    day = SESSION_AT.date()
    assert AuditTally.objects.get(day=day, dimension="series", key="2").sessions == 1
    client = client_for(mary)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:patient_erase", args=[hannah.pk]), erase_form(hannah))

    assert response.status_code == 302
    assert not Patient.objects.filter(pk=hannah.pk).exists()
    session_ids = [s.pk for s in sessions]
    for model in (TreatmentSession, Recovery, CheckIn, ReactionReport, Photo, PhotoUpload):
        assert not model.objects.filter(**{"pk__in" if model is TreatmentSession else "session_id__in": session_ids})
    assert not FollowUp.objects.exists()
    assert not Complication.objects.exists()
    assert not Notification.objects.exists()
    assert stored_files() == []
    assert not Export.objects.exists()
    assert not default_storage.exists("exports/sessions-march.csv")
    # The change history held the same details: it goes too.
    assert not Patient.history.filter(id=hannah.pk).exists()
    assert not TreatmentSession.history.filter(id__in=session_ids).exists()
    assert not ReactionReport.history.filter(id=report.pk).exists()
    assert not Recovery.history.filter(session_id__in=session_ids).exists()
    # The audit no longer counts her sessions; Iris's are untouched.
    assert not AuditTally.objects.filter(day=day, dimension="series", key="2").exists()
    assert TreatmentSession.objects.filter(pk=iris.pk).exists()
    assert AuditTally.objects.get(day=iris.performed_at.date(), dimension="series", key="1").sessions == 1
    # The trail keeps who opened the record, and who erased it and why, and nothing that names her.
    assert RecordView.objects.filter(user=alice, patient=None).exists()
    removal = Removal.objects.get()
    assert (removal.removed_by, removal.reason) == (mary, "Asked for erasure in writing on 3 March 2026.")
    assert removal.what == "A patient's record: 2 sessions, 1 reports, 2 photos; 1 exports"
    assert "Hannah" not in removal.what


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"confirm_name": "Hannah Smith"}, "Type the patient's name as shown on the record to confirm."),
        ({"reason": ""}, "This field is required."),
    ],
    ids=["the wrong name", "no reason"],
)
def test_erasing_needs_the_patients_name_and_a_reason(client_for, mary, treated, form, message):
    hannah = treated[0]
    files = stored_files()

    response = client_for(mary).post(reverse("audits:patient_erase", args=[hannah.pk]), {**erase_form(hannah), **form})

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert Patient.objects.filter(pk=hannah.pk).exists()
    assert TreatmentSession.objects.filter(patient=hannah).count() == 2
    assert stored_files() == files
    assert not Removal.objects.exists()


def test_only_a_manager_of_the_patients_clinic_can_erase(client_for, alice, bob, riverside, treated):
    hannah = treated[0]
    other_manager = UserFactory(username="rita")
    MembershipFactory(user=other_manager, clinic=riverside, role="manager")
    url = reverse("audits:patient_erase", args=[hannah.pk])

    assert client_for(alice).post(url, erase_form(hannah)).status_code == 403
    assert client_for(bob).post(url, erase_form(hannah)).status_code == 403
    assert client_for(other_manager).post(url, erase_form(hannah)).status_code == 404
    assert Patient.objects.filter(pk=hannah.pk).exists()
    assert len(stored_files()) == 5


def test_the_patient_page_offers_erasure_to_the_clinics_managers_only(client_for, alice, mary, treated):
    hannah = treated[0]
    erase = reverse("audits:patient_erase", args=[hannah.pk])

    assert erase in client_for(mary).get(hannah.get_absolute_url()).content.decode()
    assert erase not in client_for(alice).get(hannah.get_absolute_url()).content.decode()


def test_a_record_is_not_erased_while_an_export_that_lists_it_is_being_written(client_for, mary, alice, treated):
    hannah = treated[0]
    Export.objects.create(
        clinic=hannah.clinic, requested_by=alice, start=date(2026, 2, 1), end=date(2026, 3, 2), status="running"
    )

    response = client_for(mary).post(reverse("audits:patient_erase", args=[hannah.pk]), erase_form(hannah))

    assert response.status_code == 200
    assert "An export of a period this patient was treated in is being written" in response.content.decode()
    assert TreatmentSession.objects.filter(patient=hannah).count() == 2
    assert Photo.objects.count() == 2
    assert Export.objects.count() == 2
    assert not Removal.objects.exists()


def test_managers_see_what_was_deleted_in_their_clinics_only(
    client_for, mary, alice, grace, riverside, treated, django_capture_on_commit_callbacks
):
    hannah, sessions, _report, _iris = treated
    photo = Photo.objects.filter(session=sessions[1]).first()
    with django_capture_on_commit_callbacks(execute=True):
        photo_services.photo_delete(photo=photo, deleted_by=mary, reason="Blurred.")
    trail = client_for(mary).get(reverse("audits:patient_trail", args=[hannah.pk])).content.decode()
    assert "Deleted: Photo of the face" in trail
    assert "Reason: Blurred." in trail
    assert "Blurred." in client_for(mary).get(reverse("audits:removals")).content.decode()

    client_for(mary).post(reverse("audits:patient_erase", args=[hannah.pk]), erase_form(hannah, reason="Asked to."))
    riverside_patient = PatientFactory(clinic=riverside)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(grace).post(
            reverse("audits:patient_erase", args=[riverside_patient.pk]), erase_form(riverside_patient, reason="Moved.")
        )

    page = client_for(mary).get(reverse("audits:removals")).content.decode()
    rows = [html.unescape(row) for row in page.split('data-testid="removal"')[1:]]
    # The erasure stands for the photo deleted before it, whose reason might have named her.
    assert len(rows) == 1
    assert "A patient's record: 2 sessions, 1 reports, 1 photos; 1 exports" in rows[0]
    assert "Asked to." in rows[0]
    assert "Blurred." not in page
    assert "Moved." not in page
    assert client_for(alice).get(reverse("audits:removals")).status_code == 403


def test_erasing_a_patient_whose_serious_complication_was_reported_takes_what_reporting_added(
    client_for, mary, alice, harbour_patient, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(SESSION_AT, tick=False)
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=SESSION_AT)
    time_machine.move_to(SESSION_AT + timedelta(days=3), tick=False)
    complication = complications.complication_record(
        recovery=session.recovery,
        complication_type="infection",
        grade=3,
        seriousness=["serious_hospitalisation"],
        suspects={session.products_used.get().pk: "probable"},
        recorded_by=alice,
    )
    EventDetails.objects.create(complication=complication, weight_kg=60, updated_by=mary)
    Submission.objects.create(complication=complication, recipient="mhra", sent_on=date(2026, 3, 5), recorded_by=mary)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mary).post(
            reverse("audits:patient_erase", args=[harbour_patient.pk]), erase_form(harbour_patient)
        )

    assert response.status_code == 302
    assert not Patient.objects.filter(pk=harbour_patient.pk).exists()
    assert not Complication.objects.exists()
    assert not EventDetails.objects.exists()
    assert not Submission.objects.exists()
