"""The sweep tells staff of each transition once, in a few set-based statements."""

from datetime import timedelta

import pytest

from checkins import sweep
from recovery import assessment, services
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionType, Recovery
from recovery.reasons import words
from recovery.rules import Severity

from ..conftest import SESSION_AT, at
from ..factories import PatientFactory, TreatmentSessionFactory
from ..recovery.test_assessing_many import STALE, make_stale, stored_columns


def overdue_recoveries(count, *, clinic, practitioner, time_machine):
    """`count` recoveries with redness reported at 20 h: overdue just after 48 h."""
    redness = ReactionType.objects.get(clinic=clinic, code="redness")
    time_machine.move_to(at(20), tick=False)
    for _ in range(count):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic), practitioner=practitioner, performed_at=SESSION_AT
        )
        services.report_create(
            session=session,
            reported_at=at(20),
            reactions=[services.ReactionEntry(redness, Severity.MILD)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=practitioner,
        )


def test_each_overdue_recovery_is_told_once_however_often_the_sweep_runs(harbour, alice, time_machine):
    overdue_recoveries(3, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(49), tick=False)

    told = [sweep.sweep(), sweep.sweep()]

    assert told == [3, 0]
    assert Notification.objects.filter(kind="overdue", recipient=alice).count() == 3


def test_a_recovery_overdue_again_at_a_new_moment_is_told_again(harbour, alice, time_machine):
    overdue_recoveries(1, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(49), tick=False)
    sweep.sweep()
    recovery = Recovery.objects.get()
    time_machine.move_to(at(50), tick=False)
    services.report_create(
        session=recovery.session,
        reported_at=at(50),
        reactions=[services.ReactionEntry(ReactionType.objects.get(clinic=harbour, code="bruising"), Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=alice,
    )
    time_machine.move_to(at(24 * 11), tick=False)

    assert sweep.sweep() == 1
    assert Notification.objects.filter(kind="overdue").count() == 2


@pytest.mark.parametrize("count", [5, 60])
def test_the_sweep_runs_the_same_few_statements_whatever_the_number_of_recoveries(
    harbour, alice, time_machine, count, django_assert_max_num_queries
):
    overdue_recoveries(count, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(49), tick=False)

    with django_assert_max_num_queries(10):
        sweep.sweep()
    # Three claiming UPDATEs inside one savepoint, nothing else, when nothing has changed.
    with django_assert_max_num_queries(5):
        assert sweep.sweep() == 0


def test_a_check_in_after_which_the_patient_was_heard_from_is_not_marked_missed(harbour, alice, time_machine):
    time_machine.move_to(at(30), tick=False)
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=at(0))
    check_in = CheckIn.objects.create(session=session, due_at=at(24), status=CheckInStatus.SENT, sent_at=at(24))
    services.follow_up_create(recovery=session.recovery, action="called", note="Doing well.", recorded_by=alice)
    time_machine.move_to(at(60), tick=False)

    sweep.sweep()

    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SENT
    assert not Notification.objects.filter(kind="missed_check_in").exists()


def missed_check_ins(count, *, clinic, practitioner, time_machine):
    """`count` patients sent a check-in at 24 h, stored as sending stores it, who never answer."""
    time_machine.move_to(at(24), tick=False)
    for _ in range(count):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic), practitioner=practitioner, performed_at=SESSION_AT
        )
        CheckIn.objects.create(session=session, due_at=at(24), status=CheckInStatus.SENT, sent_at=at(24))
        services.recovery_assess(recovery=session.recovery)


@pytest.mark.parametrize("count", [3, 60])
def test_catching_up_on_missed_check_ins_takes_the_same_few_statements_however_many_were_missed(
    harbour, alice, time_machine, count, django_assert_max_num_queries
):
    missed_check_ins(count, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(24 * 5), tick=False)

    # The claims, the missed check-ins read once, their recoveries assessed together, the notifications.
    with django_assert_max_num_queries(20):
        told = sweep.sweep()

    # Each check-in missed, and each recovery overdue for it: one notification tells both.
    assert told == count
    assert CheckIn.objects.filter(status=CheckInStatus.MISSED).count() == count
    assert Notification.objects.filter(kind="missed_check_in", recipient=alice).count() == count
    assert not Notification.objects.filter(kind="overdue").exists()


@pytest.mark.parametrize("chunk", [3, assessment.CHUNK])
def test_the_sweep_stores_for_each_recovery_with_a_missed_check_in_what_assessing_it_alone_stores(
    varied_recoveries, monkeypatch, time_machine, chunk
):
    monkeypatch.setattr(assessment, "CHUNK", chunk)
    time_machine.move_to(at(24 * 20), tick=False)
    make_stale()

    sweep.sweep()

    swept = stored_columns()
    missed = {session.pk for session in varied_recoveries.missed}
    assert set(CheckIn.objects.filter(status=CheckInStatus.MISSED).values_list("session_id", flat=True)) == missed
    make_stale()
    for pk in missed:
        services.recovery_assess(recovery=Recovery(pk=pk))
    alone = stored_columns()
    assert {pk: swept[pk] for pk in missed} == {pk: alone[pk] for pk in missed}
    # A safety net for what missed a check-in, not a reassessment of every recovery.
    assert [swept[session.pk] for session in varied_recoveries.heard] == [STALE] * len(varied_recoveries.heard)


def test_a_missed_check_in_puts_right_a_deadline_stored_without_it(harbour, alice, time_machine):
    missed_check_ins(1, clinic=harbour, practitioner=alice, time_machine=time_machine)
    Recovery.objects.update(overdue_at=None, findings=[])
    time_machine.move_to(at(49), tick=False)

    # The check-in missed, and the recovery overdue for it since 48 h: told once, as missed.
    assert sweep.sweep() == 1
    time_machine.move_to(at(50), tick=False)
    assert sweep.sweep() == 0

    recovery = Recovery.objects.get()
    assert recovery.overdue_at == at(48) + timedelta(microseconds=1)
    assert [words(f) for f in recovery.reasons_at(at(50))] == ["Check-in sent 3 March 10:00 was not answered"]
    assert list(Notification.objects.values_list("kind", flat=True)) == ["missed_check_in"]
