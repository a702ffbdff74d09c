"""Each transition other systems may be told of is written once, as an event, in the transaction of
the change itself, by the service that makes it: however often the writer runs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from checkins import guides, sweep
from events.models import DomainEvent, EventKind
from patients.models import Patient
from recovery import complications
from recovery.models import GuideMessage
from treatments.services import batch_quarantine

from ..checkins.test_sweep import missed_check_ins, overdue_recoveries
from ..conftest import SESSION_AT, at


def kinds() -> list[str]:
    return sorted(DomainEvent.objects.values_list("kind", flat=True))


def test_each_overdue_recovery_is_one_event_however_often_the_sweep_runs(harbour, alice, time_machine):
    overdue_recoveries(3, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(49), tick=False)

    sweep.sweep()
    sweep.sweep()

    assert kinds() == [EventKind.OVERDUE] * 3
    event = DomainEvent.objects.first()
    assert event.clinic == harbour
    # Redness reported at 20 h fades by 48 h: overdue from then.
    assert event.occurred_at > at(48)
    assert event.subject["session"] == event.subject["recovery"]


def test_a_missed_check_in_is_one_event_and_so_is_the_overdue_it_causes(harbour, alice, time_machine):
    missed_check_ins(2, clinic=harbour, practitioner=alice, time_machine=time_machine)
    time_machine.move_to(at(24 * 5), tick=False)

    sweep.sweep()
    sweep.sweep()

    assert kinds() == [EventKind.CHECK_IN_MISSED] * 2 + [EventKind.OVERDUE] * 2
    missed = DomainEvent.objects.filter(kind=EventKind.CHECK_IN_MISSED).first()
    assert set(missed.subject) == {"session", "recovery", "check_in"}
    assert missed.occurred_at == at(24)


def test_a_red_flag_is_one_needs_attention_event_at_once_and_the_sweep_adds_none(session, report, time_machine):
    report(30, red_flags=("discharge",))

    assert kinds() == [EventKind.NEEDS_ATTENTION]
    time_machine.move_to(at(31), tick=False)
    sweep.sweep()
    assert kinds() == [EventKind.NEEDS_ATTENTION]


def test_a_second_alarm_before_anyone_acknowledged_the_first_is_no_new_event(session, report):
    report(30, red_flags=("discharge",))
    report(32, red_flags=("fever",))

    assert kinds() == [EventKind.NEEDS_ATTENTION]


def test_a_patient_who_cannot_be_reached_is_one_overdue_event_and_the_sweep_adds_none(session, time_machine):
    time_machine.move_to(at(1), tick=False)
    Patient.objects.filter(pk=session.patient_id).update(email="", phone="+442079460000")
    message = GuideMessage.objects.create(session=session)

    guides.guide_send(guide_message_id=message.pk, base_url="https://x")
    time_machine.move_to(at(2), tick=False)
    sweep.sweep()

    assert kinds() == [EventKind.OVERDUE]


def test_a_confirmed_complication_is_one_event(session, alice, time_machine):
    time_machine.move_to(at(24 * 5), tick=False)

    complications.complication_record(recovery=session.recovery, complication_type="nodule", grade=2, recorded_by=alice)
    complications.complication_record(
        recovery=session.recovery, complication_type="infection", grade=2, recorded_by=alice
    )

    assert kinds() == [EventKind.COMPLICATION_CONFIRMED] * 2
    assert DomainEvent.objects.first().subject == {"session": str(session.pk), "recovery": str(session.pk)}


def test_a_complication_refused_writes_no_event(session, alice):
    with pytest.raises(ValidationError):
        complications.complication_record(
            recovery=session.recovery, complication_type="nodule", grade=None, recorded_by=alice
        )

    assert not DomainEvent.objects.exists()


def test_a_quarantine_is_one_event_and_a_second_is_refused_with_none(harbour_batch, mary):
    batch_quarantine(batch=harbour_batch, reason="Cluster of nodules", by=mary)
    with pytest.raises(ValidationError):
        batch_quarantine(batch=harbour_batch, reason="Again", by=mary)

    event = DomainEvent.objects.get()
    assert event.kind == EventKind.BATCH_QUARANTINED
    assert event.subject == {"batch": str(harbour_batch.pk), "product": str(harbour_batch.product_id)}


def test_an_event_keeps_its_moment_whatever_the_clock_when_it_was_written(session, report, time_machine):
    report(30, red_flags=("discharge",))
    time_machine.move_to(SESSION_AT + timedelta(days=3), tick=False)
    sweep.sweep()

    assert DomainEvent.objects.get().occurred_at == at(30)
