"""Calling the patient from the alert: how to reach them where the alert is, and what the call gave."""

from datetime import timedelta

import pytest
from django.urls import reverse

from checkins import sweep
from patients.models import Patient
from recovery import selectors, services
from recovery.models import CheckIn, CheckInStatus, FollowUp, Notification, Recovery
from recovery.rules import Status

from ..conftest import SESSION_AT

DASHBOARD = reverse("recovery:dashboard")


@pytest.fixture
def needs_a_call(session, report, harbour_patient):
    """Hannah asked to be called five hours after her session; she is allergic to lidocaine."""
    Patient.objects.filter(pk=harbour_patient.pk).update(
        phone="+447400900111", email="hannah@example.com", sensitivities="Lidocaine"
    )
    report(5, wants_call=True)
    return session


def call(client, session, outcome, note=""):
    return client.post(reverse("recovery:follow_up_create", args=[session.pk]), {"action": outcome, "note": note})


def status_of(session, time_machine, hours=6):
    time_machine.move_to(SESSION_AT + timedelta(hours=hours), tick=False)
    recovery = Recovery.objects.with_status().get(pk=session.pk)
    return recovery.status, recovery.followed_up


@pytest.mark.parametrize(
    "page",
    ["photos:session_detail", "recovery:follow_up_create"],
    ids=["session-page", "act-page"],
)
def test_the_alert_shows_the_patients_number_email_and_allergies(client_for, alice, needs_a_call, page):
    content = client_for(alice).get(reverse(page, args=[needs_a_call.pk])).content.decode()

    assert 'href="tel:+447400900111"' in content
    assert "+44 7400 900111" in content
    assert 'href="mailto:hannah@example.com"' in content
    assert "Lidocaine" in content


def test_the_work_queue_and_the_notifications_call_the_patient_in_one_tap(client_for, alice, needs_a_call):
    client = client_for(alice)

    assert 'href="tel:+447400900111"' in client.get(DASHBOARD).content.decode()
    assert 'href="tel:+447400900111"' in client.get(reverse("recovery:notifications")).content.decode()


def test_no_answer_keeps_the_recovery_waiting_and_the_queue_counts_the_calls(
    client_for, alice, needs_a_call, time_machine
):
    time_machine.move_to(SESSION_AT + timedelta(hours=6), tick=False)
    client = client_for(alice)

    first = call(client, needs_a_call, "call_no_answer")
    call(client, needs_a_call, "call_no_answer", note="Rang twice.")

    assert first.status_code == 302
    assert status_of(needs_a_call, time_machine) == (Status.NEEDS_ATTENTION, False)
    assert "2 calls, no answer" in client.get(DASHBOARD).content.decode()
    page = client.get(needs_a_call.get_absolute_url()).content.decode()
    assert "2 calls, no answer" in page
    assert "Rang twice." in page


def test_reaching_the_patient_follows_the_recovery_up_and_clears_the_count(
    client_for, alice, needs_a_call, time_machine
):
    time_machine.move_to(SESSION_AT + timedelta(hours=6), tick=False)
    client = client_for(alice)
    call(client, needs_a_call, "call_left_message")
    assert "1 call, message left" in client.get(DASHBOARD).content.decode()

    call(client, needs_a_call, "called", note="Swelling settling, reassured.")

    assert status_of(needs_a_call, time_machine) == (Status.NEEDS_ATTENTION, True)
    assert "message left" not in client.get(DASHBOARD).content.decode()
    assert [f.action for f in FollowUp.objects.order_by("recorded_at")] == ["call_left_message", "called"]


@pytest.mark.parametrize(
    ("actions", "unanswered", "last"),
    [
        ([], 0, None),
        (["call_no_answer"], 1, "call_no_answer"),
        (["call_no_answer", "call_left_message"], 2, "call_left_message"),
        (["call_left_message", "called"], 0, None),
        (["call_no_answer", "called", "call_no_answer"], 1, "call_no_answer"),
        (["reviewed_in_clinic", "call_left_message", "call_no_answer"], 2, "call_no_answer"),
    ],
    ids=["none", "one", "two", "reached-after", "one-after-reaching", "two-after-a-review"],
)
def test_the_session_page_counts_the_calls_that_reached_nobody_as_the_work_queue_does(
    needs_a_call, alice, time_machine, actions, unanswered, last
):
    for hours, action in enumerate(actions, start=6):
        time_machine.move_to(SESSION_AT + timedelta(hours=hours), tick=False)
        recovery = Recovery.objects.get(pk=needs_a_call.pk)
        services.follow_up_create(recovery=recovery, action=action, note="", recorded_by=alice)
    recovery = Recovery.objects.get(pk=needs_a_call.pk)

    counted_in_sql = selectors.with_unanswered_calls(Recovery.objects.filter(pk=needs_a_call.pk)).get()
    counted_on_the_page = recovery.unanswered_calls_among(recovery.follow_ups.all())

    assert counted_in_sql.unanswered_calls == len(counted_on_the_page) == unanswered
    assert counted_in_sql.last_unanswered_call == last
    assert (counted_on_the_page[-1].action if counted_on_the_page else None) == last


def test_a_call_that_reached_nobody_is_no_answer_to_a_missed_check_in(session, alice, time_machine):
    asked = SESSION_AT + timedelta(days=1)
    time_machine.move_to(asked, tick=False)
    CheckIn.objects.create(session=session, due_at=asked, sent_at=asked, status=CheckInStatus.SENT)
    recovery = services.recovery_assess(recovery=Recovery.objects.get(pk=session.pk))
    time_machine.move_to(asked + timedelta(days=1, hours=1), tick=False)

    services.follow_up_create(recovery=recovery, action="call_no_answer", note="", recorded_by=alice)
    still = Recovery.objects.with_status().get(pk=session.pk)
    services.follow_up_create(recovery=recovery, action="called", note="Fine, forgot to answer.", recorded_by=alice)
    heard = Recovery.objects.with_status().get(pk=session.pk)

    assert still.status == Status.OVERDUE
    assert heard.status != Status.OVERDUE


def test_a_call_outcome_that_is_not_one_of_ours_is_refused_and_nothing_is_stored(client_for, alice, needs_a_call):
    response = call(client_for(alice), needs_a_call, "hung_up_on_me")

    assert response.status_code == 200
    assert "hung_up_on_me is not one of the available choices" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_another_clinic_cannot_see_the_number_nor_record_a_call(client_for, bob, needs_a_call):
    client = client_for(bob)

    assert client.get(reverse("recovery:follow_up_create", args=[needs_a_call.pk])).status_code == 404
    assert call(client, needs_a_call, "call_no_answer").status_code == 404
    assert "+447400900111" not in client.get(DASHBOARD).content.decode()
    assert not FollowUp.objects.exists()


def test_the_sweep_marks_a_check_in_missed_and_tells_the_practitioner_even_after_a_call_that_reached_nobody(
    session, alice, time_machine
):
    asked = SESSION_AT + timedelta(days=1)
    time_machine.move_to(asked, tick=False)
    check_in = CheckIn.objects.create(session=session, due_at=asked, sent_at=asked, status=CheckInStatus.SENT)
    recovery = services.recovery_assess(recovery=Recovery.objects.get(pk=session.pk))
    time_machine.move_to(asked + timedelta(hours=2), tick=False)
    services.follow_up_create(recovery=recovery, action="call_no_answer", note="", recorded_by=alice)
    time_machine.move_to(asked + timedelta(days=1, hours=1), tick=False)

    sweep.sweep()

    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.MISSED
    assert Notification.objects.filter(kind="missed_check_in", recovery_id=session.pk).exists()


def test_a_recovery_reopened_by_a_red_flag_after_closing_offers_the_call_again(client_for, alice, session, report):
    report(5, red_flags=["fever"])
    services.recovery_close(recovery=session.recovery, outcome="antibiotics", note="", closed_by=alice)
    closed_page = client_for(alice).get(session.get_absolute_url()).content.decode()
    report(50, red_flags=["discharge"])

    reopened_page = client_for(alice).get(session.get_absolute_url()).content.decode()

    assert 'data-testid="call-form"' not in closed_page
    assert 'data-testid="call-form"' in reopened_page
