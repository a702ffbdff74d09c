from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audits import selectors as audit_selectors
from checkins.sweep import sweep
from events.models import DomainEvent
from imports.writing import history_write
from patients.models import Patient
from recovery.complications import complication_record
from recovery.models import (
    CheckIn,
    CloseOutcome,
    GuideMessage,
    Notification,
    ReactionReport,
    Recovery,
    ReportSource,
)
from recovery.models.recoveries import needs_someone
from recovery.reassessment import reassess_all
from recovery.rules import Status
from treatments.models import Batch, Product, SessionArea, SessionProduct, TreatmentSession
from vigilance import selectors as vigilance_selectors
from vigilance.services import late_reports_remind

from ..factories import TreatmentSessionFactory
from .history import (
    SOURCE,
    batch_row,
    complication_row,
    days_ago,
    history_plan,
    patient_row,
    reaction_row,
    session_row,
)


def _write(clinic, manager, plan, follow=()):
    return history_write(clinic=clinic, recorded_by=manager, plan=plan, decisions={"follow": list(follow)})


def _row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Patient,
            Product,
            Batch,
            TreatmentSession,
            SessionArea,
            SessionProduct,
            Recovery,
            ReactionReport,
            CheckIn,
            GuideMessage,
            Notification,
            DomainEvent,
        )
    }


def test_an_import_creates_each_row_of_the_plan_once(harbour, mary, alice):
    counts = _write(harbour, mary, history_plan(alice, sessions=3))

    assert counts == {
        "batches_created": 1,
        "patients_created": 3,
        "products_created": 1,
        "sessions_created": 3,
    }
    sessions = TreatmentSession.objects.filter(clinic=harbour)
    assert sorted(sessions.values_list("external_id", flat=True)) == ["S0", "S1", "S2"]
    assert set(sessions.values_list("source", "recorded_by", "practitioner")) == {(SOURCE, mary.pk, alice.pk)}
    assert sorted(Patient.objects.filter(clinic=harbour).values_list("external_id", flat=True)) == ["P0", "P1", "P2"]
    assert SessionArea.objects.filter(session__clinic=harbour).count() == 6
    assert SessionProduct.objects.filter(session__clinic=harbour, batch__lot_number="LOT-A").count() == 3
    assert Recovery.objects.filter(clinic=harbour).count() == 3


# Under SQLite's 999 parameters a statement, so that each kind is one INSERT; on one day, so that
# the audit's tallies to write are as many whatever the number of sessions.
@pytest.mark.parametrize("sessions", [2, 40])
def test_the_number_of_queries_does_not_grow_with_the_sessions(
    harbour, mary, alice, sessions, django_assert_max_num_queries
):
    plan = history_plan(alice, sessions=sessions)
    for row in plan["sessions"]:
        row["performed_at"] = days_ago(400)
    plan["reactions"] = [reaction_row(f"S{n}", days_ago(399), reaction="redness", severity=1) for n in range(sessions)]
    plan["complications"] = [complication_row(f"S{n}", days_ago(398)) for n in range(sessions)]

    with django_assert_max_num_queries(39):
        _write(harbour, mary, plan)

    assert TreatmentSession.objects.filter(clinic=harbour).count() == sessions


def test_importing_the_same_plan_twice_adds_nothing(harbour, mary, alice):
    plan = history_plan(alice, sessions=3)
    plan["reactions"] = [reaction_row("S0", days_ago(399), reaction="nodules", severity=2)]
    plan["complications"] = [complication_row("S0", days_ago(398))]
    _write(harbour, mary, plan)
    before = _row_counts()
    numbers = dict(TreatmentSession.objects.values_list("external_id", "series_number"))

    counts = _write(harbour, mary, plan)

    assert _row_counts() == before
    assert dict(TreatmentSession.objects.values_list("external_id", "series_number")) == numbers
    assert counts["sessions_updated"] == 3
    assert counts["complications_skipped"] == 1
    assert counts["reactions_skipped"] == 1
    assert "sessions_created" not in counts


def test_imported_sessions_send_nothing(harbour, mary, alice, django_capture_on_commit_callbacks, time_machine):
    plan = history_plan(alice, sessions=2)
    plan["reactions"] = [reaction_row("S0", days_ago(399), red_flag="fever")]

    with django_capture_on_commit_callbacks(execute=True):
        _write(harbour, mary, plan)
    time_machine.move_to(timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        sweep()

    assert CheckIn.objects.count() == 0
    assert GuideMessage.objects.count() == 0
    assert Notification.objects.count() == 0
    assert DomainEvent.objects.count() == 0
    assert mail.outbox == []


def test_imported_recoveries_close_as_imported_and_stay_off_the_queue(harbour, mary, alice):
    plan = history_plan(alice, sessions=2)
    plan["reactions"] = [reaction_row("S0", days_ago(399), red_flag="fever")]

    _write(harbour, mary, plan)

    recoveries = Recovery.objects.filter(clinic=harbour)
    assert set(recoveries.values_list("closing_outcome", "closed_by")) == {(CloseOutcome.IMPORTED, mary.pk)}
    assert not recoveries.filter(needs_someone(timezone.now())).exists()
    assert set(recoveries.with_status().values_list("status", flat=True)) == {Status.RESOLVED}
    report = ReactionReport.objects.get()
    assert (report.source, report.recorded_by, report.session.external_id) == (ReportSource.STAFF, mary, "S0")


def test_a_followed_session_is_open_with_check_ins_only_for_moments_ahead(harbour, mary, alice):
    plan = history_plan(alice, sessions=2)
    plan["sessions"][1] = session_row("S1", "P1", days_ago(3), alice)

    _write(harbour, mary, plan, follow=["S1"])

    followed = Recovery.objects.get(session__external_id="S1")
    assert followed.closed_at is None
    assert Recovery.objects.filter(pk=followed.pk).with_status().get().status == Status.ON_TRACK
    due = CheckIn.objects.filter(session_id=followed.pk).values_list("due_at", flat=True)
    assert len(due) == 3
    assert all(moment > timezone.now() for moment in due)
    assert Recovery.objects.get(session__external_id="S0").closing_outcome == CloseOutcome.IMPORTED


def test_a_followed_session_with_a_red_flag_is_on_the_queue_without_a_notification(
    harbour, mary, alice, django_capture_on_commit_callbacks
):
    plan = history_plan(alice, sessions=1)
    plan["sessions"] = [session_row("S0", "P0", days_ago(2), alice)]
    plan["reactions"] = [reaction_row("S0", days_ago(1), red_flag="fever")]

    with django_capture_on_commit_callbacks(execute=True):
        _write(harbour, mary, plan, follow=["S0"])
        sweep()

    assert Recovery.objects.filter(needs_someone(timezone.now())).count() == 1
    assert Notification.objects.count() == 0
    assert DomainEvent.objects.count() == 0


def test_older_sessions_imported_under_existing_ones_take_their_place_in_the_series(harbour, mary, alice):
    ours = TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice, performed_at=days_ago(30))
    plan = history_plan(alice, sessions=0)
    plan["patients"] = [patient_row("P9", existing_patient_id=ours.patient_id)]
    plan["sessions"] = [
        session_row("S1", "P9", days_ago(200), alice),
        session_row("S2", "P9", days_ago(100), alice),
    ]

    _write(harbour, mary, plan)

    numbers = dict(TreatmentSession.objects.filter(patient=ours.patient).values_list("external_id", "series_number"))
    assert numbers == {"S1": 1, "S2": 2, "": 3}
    assert Patient.objects.get(pk=ours.patient_id).external_id == "P9"


def test_the_audit_counts_imported_sessions_reports_and_complications(harbour, mary, alice):
    plan = history_plan(alice, sessions=4)
    plan["reactions"] = [reaction_row("S0", days_ago(399), red_flag="fever")]
    plan["complications"] = [complication_row("S1", days_ago(392))]

    _write(harbour, mary, plan)

    today = timezone.localdate()
    counts = audit_selectors.tallied(clinic_ids=[harbour.pk], first_day=today - timedelta(days=500), last_day=today)
    overall = audit_selectors.overall(counts)
    assert (overall.sessions, overall.reported.events, overall.confirmed.events) == (4, 1, 1)


def test_a_batch_used_after_its_expiry_is_marked_and_counted(harbour, mary, alice, client_for):
    plan = history_plan(alice, sessions=2)
    plan["batches"].append(batch_row("OLD", expiry=date(2020, 6, 1)))
    plan["sessions"][1] = session_row("S1", "P1", days_ago(300), alice, lot="OLD")

    _write(harbour, mary, plan)

    assert list(SessionProduct.objects.filter(expired_at_use=True).values_list("session__external_id", flat=True)) == [
        "S1"
    ]
    today = timezone.localdate()
    assert (
        audit_selectors.expired_batch_sessions(
            clinic_ids=[harbour.pk], first_day=today - timedelta(days=500), last_day=today
        )
        == 1
    )
    page = client_for(mary).get(TreatmentSession.objects.get(external_id="S1").get_absolute_url())
    assert b'data-testid="expired-at-use"' in page.content
    assert f"Imported from {SOURCE}".encode() in page.content
    audit = client_for(mary).get(
        reverse("audits:index"), {"start": (today - timedelta(days=500)).isoformat(), "end": today.isoformat()}
    )
    assert b"1 session of the period, brought in from another system, used a batch after its expiry." in audit.content


def test_an_imported_serious_event_is_listed_as_not_recorded_and_never_reminded(harbour, mary, alice):
    plan = history_plan(alice, sessions=1)
    plan["complications"] = [
        complication_row("S0", days_ago(399), grade=3, seriousness=["hospitalisation"], outcome="recovered")
    ]

    _write(harbour, mary, plan)

    groups = vigilance_selectors.reportable_events(clinic_ids=[harbour.pk])
    assert [event.complication.recovery.session.external_id for event in groups["not_recorded"]] == ["S0"]
    assert groups["open"] == []
    assert late_reports_remind(now=timezone.now() + timedelta(days=60)) == 0


def test_the_reportable_events_page_lists_an_imported_event_once_under_its_own_heading(
    harbour, mary, alice, client_for
):
    plan = history_plan(alice, sessions=1)
    plan["complications"] = [complication_row("S0", days_ago(399), grade=3, seriousness=["hospitalisation"])]
    _write(harbour, mary, plan)

    page = client_for(mary).get(reverse("vigilance:reportable_events")).content.decode()

    assert page.count('data-testid="not-recorded-event"') == 1
    assert "<title>Reportable events" in page
    assert page.index("Imported: reporting not recorded") > page.index("</title>")


def test_a_serious_event_confirmed_here_on_a_followed_imported_session_waits_to_be_reported(harbour, mary, alice):
    plan = history_plan(alice, sessions=1)
    plan["sessions"] = [session_row("S0", "P0", days_ago(2), alice)]
    plan["reactions"] = [reaction_row("S0", days_ago(1), reaction="nodules", severity="moderate")]
    _write(harbour, mary, plan, follow=["S0"])

    complication_record(
        recovery=Recovery.objects.get(session__external_id="S0"),
        complication_type="nodule",
        grade=3,
        seriousness=["serious_hospitalisation"],
        recorded_by=mary,
    )

    groups = vigilance_selectors.reportable_events(clinic_ids=[harbour.pk])
    assert len(groups["open"]) == 1
    assert groups["not_recorded"] == []


def test_reassessing_every_recovery_leaves_imported_ones_closed_and_off_the_queue(harbour, mary, alice):
    plan = history_plan(alice, sessions=2)
    plan["reactions"] = [
        reaction_row("S0", days_ago(399), red_flag="fever"),
        reaction_row("S1", days_ago(392), reaction="swelling", severity="severe"),
    ]
    _write(harbour, mary, plan)

    reassess_all()

    recoveries = Recovery.objects.filter(clinic=harbour)
    assert set(recoveries.values_list("closing_outcome", flat=True)) == {CloseOutcome.IMPORTED}
    assert not recoveries.filter(needs_someone(timezone.now())).exists()


def test_a_plan_naming_a_lot_that_is_nowhere_writes_nothing(harbour, mary, alice):
    plan = history_plan(alice, sessions=3)
    plan["sessions"][2] = session_row("S2", "P2", days_ago(380), alice, lot="NOWHERE")
    before = _row_counts()

    with pytest.raises(KeyError), transaction.atomic():
        _write(harbour, mary, plan)

    assert _row_counts() == before


def test_an_updated_session_moves_with_its_recovery_its_series_place_and_its_audit_day(harbour, mary, alice):
    plan = history_plan(alice, sessions=2)
    plan["sessions"][1] = session_row("S1", "P0", days_ago(300), alice)
    _write(harbour, mary, plan)
    moved = days_ago(450)
    plan["sessions"][1] = session_row("S1", "P0", moved, alice, action="update", notes="Moved", areas=["scalp"])

    counts = _write(harbour, mary, plan)

    session = TreatmentSession.objects.get(external_id="S1")
    assert counts["sessions_updated"] == 2
    assert (session.performed_at, session.notes, session.series_number) == (moved, "Moved", 1)
    assert list(session.areas.values_list("area", flat=True)) == ["scalp"]
    assert session.recovery.performed_on == timezone.localtime(moved, harbour.zone).date()
    assert list(session.products_used.values_list("performed_at", flat=True)) == [moved]
    assert TreatmentSession.objects.get(external_id="S0").series_number == 2
    today = timezone.localdate()
    counts = audit_selectors.tallied(clinic_ids=[harbour.pk], first_day=today - timedelta(days=500), last_day=today)
    assert audit_selectors.overall(counts).sessions == 2
    assert counts.by_key["area"] == {
        "face": audit_selectors.Counts(1, 0, 0),
        "neck": audit_selectors.Counts(1, 0, 0),
        "scalp": audit_selectors.Counts(1, 0, 0),
    }


def test_progress_is_told_after_each_batch_up_to_every_row(harbour, mary, alice):
    told = []

    history_write(
        clinic=harbour,
        recorded_by=mary,
        plan=history_plan(alice, sessions=3),
        decisions={"follow": []},
        progress=lambda done, total: told.append((done, total)),
    )

    assert told[-1] == (8, 8)
    assert [done for done, _total in told] == sorted(done for done, _total in told)


def test_an_empty_cell_of_an_updated_patient_keeps_what_is_stored(harbour, mary, alice):
    plan = history_plan(alice, sessions=1)
    plan["patients"] = [patient_row("P0", sensitivities="Lidocaine", consents_to_photos=True)]
    _write(harbour, mary, plan)
    plan["patients"] = [
        patient_row("P0", action="update", sensitivities=None, email="", first_name="Adah", consents_to_photos=True)
    ]

    _write(harbour, mary, plan)

    patient = Patient.objects.get(external_id="P0")
    assert (patient.first_name, patient.sensitivities, patient.email) == ("Adah", "Lidocaine", "patientP0@example.com")
    assert patient.photo_consent_on == timezone.localdate()
