"""Races that only a real database with row locks can show: run on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from checkins import guides, sweep
from checkins import services as check_ins
from messaging import handoff
from recovery import services
from recovery.models import (
    AuditTally,
    CheckIn,
    CheckInStatus,
    GuideMessage,
    Notification,
    ReactionReport,
    ReactionType,
    Recovery,
    TallyDimension,
)
from recovery.rules import Severity
from treatments import services as treatment_services
from treatments.models import Batch

from .factories import PatientFactory, ProductFactory, TreatmentSessionFactory
from .services import service_missing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        service_missing("row-lock races need PostgreSQL (set DATABASE_URL)")


def run_together(count, work):
    """Start `count` threads at the same instant, each on its own database connection."""
    from django.db import connections

    barrier = threading.Barrier(count)
    errors = []

    def runner(index):
        try:
            barrier.wait(timeout=10)
            work(index)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]


@pytest.fixture
def sent_check_in(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=timezone.now() - timedelta(days=1)
    )
    return CheckIn.objects.create(
        session=session, due_at=timezone.now() - timedelta(hours=1), status=CheckInStatus.SENT, sent_at=timezone.now()
    )


def test_two_submissions_of_one_check_in_at_the_same_instant_store_one_report(postgresql, sent_check_in):
    fever = list(sent_check_in.session.clinic.red_flag_questions.filter(code="fever"))

    run_together(
        4,
        lambda _index: check_ins.check_in_answer(
            check_in=CheckIn.objects.select_related("session").get(pk=sent_check_in.pk),
            reactions=[],
            red_flags_present=fever,
            red_flags_asked=fever,
            wants_call=False,
            note="",
        ),
    )

    assert ReactionReport.objects.filter(session=sent_check_in.session).count() == 1
    assert Notification.objects.filter(kind="red_flag").count() == 1


def test_two_workers_sending_the_same_check_in_at_once_send_it_once(postgresql, sent_check_in, mailoutbox):
    CheckIn.objects.filter(pk=sent_check_in.pk).update(status=CheckInStatus.PLANNED, sent_at=None)
    results = []

    run_together(
        4, lambda _index: results.append(check_ins.check_in_send(check_in_id=sent_check_in.pk, base_url="https://x"))
    )

    assert sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1


def test_two_workers_sending_the_same_guide_at_once_send_it_once(postgresql, sent_check_in, mailoutbox):
    message = GuideMessage.objects.create(session=sent_check_in.session)
    results = []

    run_together(4, lambda _index: results.append(guides.guide_send(guide_message_id=message.pk, base_url="https://x")))

    assert sorted(results) == [False, False, False, True]
    assert len(mailoutbox) == 1


def test_taps_on_send_the_guide_again_at_the_same_instant_send_one(postgresql, sent_check_in, alice, mailoutbox):
    refused = []

    def tap(_index):
        try:
            guides.guide_send_again(session=sent_check_in.session, requested_by=alice)
        except ValidationError:
            refused.append(True)

    run_together(3, tap)

    assert GuideMessage.objects.filter(session=sent_check_in.session).count() == 1
    assert len(refused) == 2
    assert len(mailoutbox) == 1


def test_two_sweeps_at_once_notify_each_transition_once(postgresql, sent_check_in):
    two_days_ago = timezone.now() - timedelta(days=2)
    CheckIn.objects.filter(pk=sent_check_in.pk).update(due_at=two_days_ago, sent_at=two_days_ago)
    services.recovery_assess(recovery=sent_check_in.session.recovery)

    run_together(3, lambda _index: sweep.sweep())

    # The missed check-in's notification also tells the overdue it causes: one, not two.
    assert Notification.objects.filter(kind="missed_check_in").count() == 1
    assert not Notification.objects.filter(kind="overdue").exists()


def test_reports_arriving_while_the_sweep_catches_up_are_in_what_is_stored(postgresql, harbour, alice):
    two_days_ago = timezone.now() - timedelta(days=2)
    sessions = []
    for _ in range(4):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=two_days_ago - timedelta(hours=1)
        )
        CheckIn.objects.create(session=session, due_at=two_days_ago, status=CheckInStatus.SENT, sent_at=two_days_ago)
        sessions.append(session)
    # Stored without the check-ins, so that the sweep's catch-up has something to write.
    Recovery.objects.update(findings=[], overdue_at=None)
    swelling = ReactionType.objects.get(clinic=harbour, code="swelling")
    # Imported once before the threads, as a worker does when it starts: the threads' first
    # notifications would otherwise race to import the tasks module.
    handoff.registered_task(handoff.NOTIFICATION_DELIVERY)

    def work(index):
        if index == 0:
            sweep.sweep()
            return
        services.report_create(
            session=sessions[index],
            reported_at=timezone.now() - timedelta(minutes=1),
            reactions=[services.ReactionEntry(swelling, Severity.SEVERE)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    run_together(4, work)

    columns = ("findings", "attention_at", "unacknowledged_at", "overdue_at", "settled")
    stored = list(Recovery.objects.order_by("pk").values_list(*columns))
    for session in sessions:
        services.recovery_assess(recovery=Recovery(pk=session.pk))
    assert stored == list(Recovery.objects.order_by("pk").values_list(*columns))
    assert all(findings for findings, *_moments in stored)


def test_two_complications_reported_at_once_on_one_clinic_day_are_both_counted(postgresql, harbour, alice):
    performed_at = timezone.now() - timedelta(days=2)
    sessions = [
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=performed_at)
        for _ in range(2)
    ]
    nodules = ReactionType.objects.get(clinic=harbour, code="nodules")

    def report(index):
        services.report_create(
            session=sessions[index],
            reported_at=timezone.now() - timedelta(hours=1),
            reactions=[services.ReactionEntry(nodules, Severity.MILD)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
        )

    run_together(2, report)

    day = AuditTally.objects.get(clinic=harbour, dimension=TallyDimension.PRACTITIONER, key=str(alice.pk))
    assert (day.sessions, day.reported) == (2, 2)


def test_one_box_scanned_at_two_desks_at_once_is_received_once(postgresql, harbour, mary):
    product = ProductFactory(clinic=harbour, gtin="09506000134352")
    received = []

    run_together(
        3,
        lambda _index: received.append(
            treatment_services.batch_receive(
                product=product,
                lot="HB2401",
                expiry=timezone.localdate() + timedelta(days=400),
                received_on=timezone.localdate(),
                by=mary,
            )
        ),
    )

    assert Batch.objects.filter(product=product).count() == 1
    assert sorted(created for _batch, created in received) == [False, False, True]
    assert len({batch.pk for batch, _created in received}) == 1
