"""The audit's split by grade and its batch alert, as a manager reads them: the split from the counts
kept per clinic day, recounted whenever a complication changes; the alert from the last days' reports."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.erasure import patient_erase
from audits.selectors import clustered_batch_ids
from recovery import complications, tallies
from recovery import services as recovery_services
from recovery.models import AuditTally, Complication, ReactionType, Recovery, RedFlagQuestion
from recovery.rules import Severity
from recovery.tallies import counted
from treatments.services import batch_quarantine

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory

AUDIT = reverse("audits:index")
THRESHOLD, DAYS = 3, 14


def sessions_at(clinic, practitioner, count, *, batch=None, days_ago=2):
    return [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            performed_at=timezone.now() - timedelta(days=days_ago),
            batches=[batch] if batch else None,
        )
        for _ in range(count)
    ]


def confirm(session, grade, *seriousness, **fields):
    return complications.complication_record(
        recovery=session.recovery,
        complication_type=fields.pop("complication_type", "nodule"),
        grade=grade,
        seriousness=seriousness,
        recorded_by=session.practitioner,
        **fields,
    )


def kept_equal_a_fresh_count() -> bool:
    kept = sorted(
        AuditTally.objects.values_list("clinic_id", "day", "dimension", "key", "sessions", "reported", "confirmed")
    )
    fresh = sorted(
        (r["clinic_id"], r["day"], r["dimension"], r["key"], r["sessions"], r["reported"], r["confirmed"])
        for r in counted(Recovery.objects.all())
    )
    return kept == fresh


def split(client):
    return {row.key: row.confirmed.events for row in client.get(AUDIT).context["severity"]}


def test_a_grades_row_follows_a_complication_confirmed_regraded_and_erased(client_for, mary, harbour, alice):
    first = sessions_at(harbour, alice, 3)[0]
    client = client_for(mary)

    complication = confirm(first, 2)
    assert split(client)["grade_2"] == 1

    # No screen changes a grade: a correction is written to the table, then its day is recounted.
    Complication.objects.filter(pk=complication.pk).update(grade=3, serious_hospitalisation=True)
    tallies.tallies_recount(recoveries=Recovery.objects.filter(pk=first.pk))
    rows = split(client)
    assert (rows["grade_2"], rows["grade_3"], rows["serious"], rows["serious_hospitalisation"]) == (0, 1, 1, 1)
    assert kept_equal_a_fresh_count()

    patient_erase(patient=first.patient, erased_by=mary, reason="The patient asked to be forgotten.")
    rows = split(client)
    assert (rows["grade_3"], rows["serious"]) == (0, 0)
    assert client.get(AUDIT).context["reference"].sessions == 2
    assert kept_equal_a_fresh_count()


def test_a_second_complication_of_another_grade_counts_in_its_own_row_too(client_for, mary, harbour, alice):
    session = sessions_at(harbour, alice, 1)[0]
    confirm(session, 1)

    confirm(session, 4, "serious_life_threatening", complication_type="infection")

    rows = split(client_for(mary))
    assert (rows["grade_1"], rows["grade_4"], rows["serious_life_threatening"]) == (1, 1, 1)
    assert kept_equal_a_fresh_count()


def test_the_grade_not_recorded_row_shows_only_while_there_are_any(client_for, mary, harbour, alice):
    session = sessions_at(harbour, alice, 1)[0]
    confirm(session, 2)
    assert "grade_none" not in split(client_for(mary))

    Complication.objects.filter(recovery=session.recovery).update(grade=None)
    tallies.tallies_recount(recoveries=Recovery.objects.filter(pk=session.pk))

    assert split(client_for(mary))["grade_none"] == 1


def concerning_report(session, *, severity=Severity.MODERATE, code="nodules", at=None):
    return recovery_services.report_create(
        session=session,
        reported_at=at or session.performed_at + timedelta(hours=1),
        reactions=[
            recovery_services.ReactionEntry(ReactionType.objects.get(clinic=session.clinic, code=code), severity)
        ],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=recovery_services.ReportSource.STAFF,
        recorded_by=session.practitioner,
    )


def red_flag_report(session, *, present=True):
    question = RedFlagQuestion.objects.filter(clinic=session.clinic).order_by("pk").first()
    return recovery_services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=1),
        reactions=[],
        red_flags_present=[question] if present else [],
        red_flags_asked=[question],
        wants_call=False,
        source=recovery_services.ReportSource.STAFF,
        recorded_by=session.practitioner,
    )


def clustered(clinic, now=None) -> set:
    return clustered_batch_ids(clinic_ids=[clinic.pk], now=now or timezone.now(), threshold=THRESHOLD, days=DAYS)


@pytest.fixture
def batch(harbour):
    return BatchFactory(product__clinic=harbour)


def test_a_batch_is_pointed_out_once_three_of_its_sessions_reported_a_complication(harbour, alice, batch):
    first, second, third = sessions_at(harbour, alice, 3, batch=batch)
    concerning_report(first)
    red_flag_report(second)
    # Two reports of one session count it once.
    concerning_report(second)
    assert clustered(harbour) == set()

    concerning_report(third)

    assert clustered(harbour) == {str(batch.pk)}


@pytest.mark.parametrize(
    "not_a_complication",
    [
        lambda session: concerning_report(session, code="redness"),
        lambda session: concerning_report(session, severity=Severity.NONE),
        lambda session: red_flag_report(session, present=False),
    ],
    ids=["an expected reaction", "a concerning reaction marked absent", "a red flag answered absent"],
)
def test_a_report_without_a_complication_does_not_count_toward_the_alert(harbour, alice, batch, not_a_complication):
    first, second, third = sessions_at(harbour, alice, 3, batch=batch)
    concerning_report(first)
    concerning_report(second)

    not_a_complication(third)

    assert clustered(harbour) == set()


def test_a_quarantined_batch_is_not_pointed_out_again(harbour, alice, mary, batch):
    for session in sessions_at(harbour, alice, 3, batch=batch):
        concerning_report(session)

    batch_quarantine(batch=batch, reason="Three nodules in a week.", by=mary)

    assert clustered(harbour) == set()


def test_reports_older_than_the_window_no_longer_count(harbour, alice, batch, time_machine):
    sessions = sessions_at(harbour, alice, 3, batch=batch)
    for session in sessions:
        concerning_report(session)
    last_report = sessions[-1].performed_at + timedelta(hours=1)

    time_machine.move_to(last_report + timedelta(days=DAYS) - timedelta(minutes=1), tick=False)
    assert clustered(harbour) == {str(batch.pk)}
    time_machine.move_to(last_report + timedelta(days=DAYS, minutes=1), tick=False)
    assert clustered(harbour) == set()


def test_another_clinics_reports_do_not_count(harbour, riverside, alice, bob, batch):
    for session in sessions_at(harbour, alice, 3, batch=batch):
        concerning_report(session)

    assert clustered(riverside) == set()


def test_the_audit_page_asks_a_bounded_number_of_queries_whatever_it_holds(
    client_for, mary, harbour, alice, batch, django_assert_max_num_queries
):
    sessions = sessions_at(harbour, alice, 12, batch=batch) + sessions_at(harbour, alice, 12, days_ago=40)
    for grade, session in enumerate(sessions[:4], start=1):
        confirm(session, grade, *(["serious_hospitalisation"] if grade >= 3 else []))
        concerning_report(session)
    client = client_for(mary)

    # A manager's session is read with the two-factor device that verified it.
    with django_assert_max_num_queries(16):
        response = client.get(AUDIT)

    assert response.context["clustered"] == {str(batch.pk)}
    assert response.context["reference"].sessions == 24
