"""The status stored by the engine is right whenever it is read, with no job run in between."""

from datetime import timedelta

import pytest

from recovery import services
from recovery.models import CheckIn, CheckInStatus, ReactionType, Recovery
from recovery.reasons import words
from recovery.rules import Severity, Status, just_after

from ..conftest import SESSION_AT
from ..factories import TreatmentSessionFactory

MILD, MODERATE = Severity.MILD, Severity.MODERATE


def at(hours):
    return SESSION_AT + timedelta(hours=hours)


def after(hours):
    return just_after(at(hours))


def read(session, hours):
    """The status as the dashboard's query sees it, and as the session page sees it."""
    now = hours if not isinstance(hours, int | float) else at(hours)
    from_sql = Recovery.objects.with_status(now).get(pk=session.pk)
    from_python = Recovery.objects.get(pk=session.pk)
    assert from_sql.status == from_python.status_at(now)
    assert from_sql.followed_up == from_python.is_followed_up_at(now)
    return from_sql.status


def test_a_new_session_opens_an_on_track_recovery(session):
    assert read(session, 1) == Status.ON_TRACK


def test_redness_turns_overdue_just_after_48_hours_by_time_alone(session, report, time_machine):
    report(20, redness=MILD)

    assert read(session, 47.9) == Status.ON_TRACK
    assert read(session, 48) == Status.ON_TRACK
    assert read(session, after(48)) == Status.OVERDUE


def test_overdue_recoveries_are_found_with_an_index_comparison_against_now(session, report):
    report(20, redness=MILD)

    overdue_now = Recovery.objects.filter(overdue_at__lte=at(49), attention_at__isnull=True)

    assert list(overdue_now) == [session.recovery]
    assert not Recovery.objects.filter(overdue_at__lte=at(47)).exists()


def test_swelling_needs_attention_just_after_96_hours(session, report):
    report(24, swelling=MILD)

    assert [read(session, hours) for hours in (47, 48, after(48), 96, after(96))] == [
        Status.ON_TRACK,
        Status.ON_TRACK,
        Status.OVERDUE,
        Status.OVERDUE,
        Status.NEEDS_ATTENTION,
    ]


def test_red_flag_needs_attention_at_once(session, report):
    report(5, red_flags=["fever"])

    assert read(session, 5) == Status.NEEDS_ATTENTION
    assert [words(f) for f in Recovery.objects.get(pk=session.pk).reasons_at(at(5))] == ["Red flag reported: Fever"]


def test_an_all_clear_report_after_48_hours_resolves(session, report):
    report(50)

    assert read(session, 51) == Status.RESOLVED


def test_an_all_clear_report_at_30_hours_proves_nothing_yet(session, report):
    report(30)

    assert read(session, 31) == Status.ON_TRACK


def test_acknowledgement_keeps_the_recovery_open_and_followed_up(session, report, alice):
    report(5, wants_call=True)

    services.follow_up_create(recovery=session.recovery, action="called", note="Reassured.", recorded_by=alice)

    assert read(session, 6) == Status.NEEDS_ATTENTION
    assert Recovery.objects.with_status(at(6)).get(pk=session.pk).followed_up


def test_a_red_flag_after_the_acknowledgement_needs_attention_again(session, report, alice):
    report(5, wants_call=True)
    services.follow_up_create(recovery=session.recovery, action="called", note="", recorded_by=alice)

    report(30, red_flags=["discharge"])

    assert not Recovery.objects.with_status(at(31)).get(pk=session.pk).followed_up


def test_closing_resolves_and_a_later_red_flag_reopens(session, report, alice):
    report(5, red_flags=["fever"])
    services.recovery_close(recovery=session.recovery, outcome="resolved_alone", note="", closed_by=alice)
    assert read(session, 6) == Status.RESOLVED

    report(50, red_flags=["widespread_rash"])

    assert read(session, 50) == Status.NEEDS_ATTENTION


def test_a_catalogue_change_moves_the_deadline_of_open_recoveries(session, report, mary):
    report(20, redness=MILD)
    assert read(session, 60) == Status.OVERDUE

    redness = ReactionType.objects.get(clinic=session.clinic, code="redness")
    redness.fades_by_hours = 72
    services.reaction_type_update(reaction_type=redness, changed_by=mary)

    assert read(session, 60) == Status.ON_TRACK
    assert read(session, 72) == Status.ON_TRACK
    assert read(session, after(72)) == Status.OVERDUE
    assert redness.history.get(history_type="~").history_user == mary


def test_a_catalogue_change_leaves_other_clinics_alone(session, mary, riverside_patient, bob, time_machine):
    other = TreatmentSessionFactory(patient=riverside_patient, practitioner=bob, performed_at=SESSION_AT)
    time_machine.move_to(at(20), tick=False)
    services.report_create(
        session=other,
        reported_at=at(20),
        reactions=[
            services.ReactionEntry(ReactionType.objects.get(clinic=other.clinic, code="redness"), Severity.MILD)
        ],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=bob,
    )
    redness = ReactionType.objects.get(clinic=session.clinic, code="redness")
    redness.fades_by_hours = 72
    services.reaction_type_update(reaction_type=redness, changed_by=mary)

    assert read(other, 60) == Status.OVERDUE


def test_a_sent_check_in_unanswered_is_missed_just_after_24_hours(session):
    CheckIn.objects.create(session=session, due_at=at(24), status=CheckInStatus.SENT, sent_at=at(24))
    services.recovery_assess(recovery=session.recovery)

    assert read(session, 47.9) == Status.ON_TRACK
    assert read(session, 48) == Status.ON_TRACK
    assert read(session, after(48)) == Status.OVERDUE
    assert [words(f) for f in Recovery.objects.get(pk=session.pk).reasons_at(after(48))] == [
        "Check-in sent 3 March 10:00 was not answered"
    ]


@pytest.mark.parametrize("status", [CheckInStatus.PLANNED, CheckInStatus.CANCELLED, CheckInStatus.FAILED])
def test_a_check_in_the_patient_was_never_sent_is_never_missed(session, status):
    CheckIn.objects.create(session=session, due_at=at(24), status=status)
    services.recovery_assess(recovery=session.recovery)

    assert read(session, 24 * 30) == Status.ON_TRACK


def test_a_staff_note_clears_a_missed_check_in(session, alice, time_machine):
    CheckIn.objects.create(session=session, due_at=at(24), status=CheckInStatus.SENT, sent_at=at(24))
    time_machine.move_to(at(50), tick=False)

    services.follow_up_create(recovery=session.recovery, action="called", note="No answer.", recorded_by=alice)

    assert read(session, 51) == Status.ON_TRACK


@pytest.mark.parametrize(
    ("reported_hours", "message"),
    [(-1, services.REPORT_BEFORE_SESSION), (10_000, services.REPORT_IN_FUTURE)],
    ids=["before-the-session", "in-the-future"],
)
def test_a_report_outside_the_recovery_is_refused_and_nothing_is_stored(
    session, alice, time_machine, reported_hours, message
):
    time_machine.move_to(at(30), tick=False)

    with pytest.raises(services.ValidationError) as error:
        services.report_create(
            session=session,
            reported_at=at(reported_hours),
            reactions=[],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=True,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    assert error.value.message_dict == {"reported_at": [str(message)]}
    assert not session.reports.exists()
