"""Every patient is reached, or the clinic knows it: check-ins and guides through a real SMTP server and
a text provider on 127.0.0.1 that go down, refuse, stall or ask to wait, with the clock travelled
minute by minute as beat would run."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checkins import tasks as checkin_tasks
from patients.models import Patient
from recovery import dashboard_selectors, schedule, services, tasks
from recovery.models import (
    CheckIn,
    CheckInStatus,
    FollowUpAction,
    GuideMessage,
    GuideStatus,
    Notification,
    Recovery,
)
from recovery.notification_words import notification_words
from recovery.reasons import words
from tests.smtp import SmtpServer
from tests.text_messages import Provider

from ..factories import PatientFactory, TreatmentSessionFactory

SESSION_AT = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
SITE = "https://clinic.example.com"


def at(days=0, hours=0, minutes=0):
    return SESSION_AT + timedelta(days=days, hours=hours, minutes=minutes)


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        server.use(settings)
        yield server


@pytest.fixture
def provider(settings):
    with Provider() as provider:
        settings.TEXT_MESSAGE_BACKEND = "messaging.text_messages.TelnyxBackend"
        settings.TEXT_MESSAGE_API_URL = provider.url
        settings.TEXT_MESSAGE_API_KEY = "test-key"
        settings.TEXT_MESSAGE_SENDER = "+447400000001"
        settings.TEXT_MESSAGE_TIMEOUT_SECONDS = 0.5
        yield provider


@pytest.fixture
def patient(harbour):
    return PatientFactory(
        clinic=harbour, first_name="Hannah", last_name="Harbour", email="hannah@example.com", phone="+447400900111"
    )


def session_of(patient, alice, time_machine, *, days=(1, 2)):
    """A session at 10:00 on 2 March with check-ins on `days`."""
    time_machine.move_to(SESSION_AT, tick=False)
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)
    for day in days:
        CheckIn.objects.create(session=session, due_at=at(day))
    return session


def beat(time_machine, start, end):
    """Beat's minute task, every minute from `start` to `end`."""
    moment = start
    while moment <= end:
        time_machine.move_to(moment, tick=False)
        checkin_tasks.send_due_check_ins()
        checkin_tasks.relay_guides()
        tasks.relay_notification_emails()
        moment += timedelta(minutes=1)


def check_in_on(session, day) -> CheckIn:
    return session.check_ins.get(due_at=at(day))


def recovery_now(session) -> Recovery:
    return Recovery.objects.with_status().get(pk=session.pk)


def test_a_five_minute_outage_delivers_every_check_in_due_in_it_once_after_it(
    harbour, alice, smtp, provider, time_machine
):
    sessions = []
    for minute, name in enumerate(["Ann", "Ben", "Cat"]):
        patient = PatientFactory(clinic=harbour, first_name=name, email=f"{name.lower()}@example.com")
        sessions.append(session_of(patient, alice, time_machine, days=()))
        CheckIn.objects.create(session=sessions[-1], due_at=at(1, minutes=minute))
    smtp.stop()
    provider.go_down()

    beat(time_machine, at(1), at(1, minutes=4))
    assert CheckIn.objects.filter(status=CheckInStatus.SENT).count() == 0
    smtp.start()
    provider.come_back()
    beat(time_machine, at(1, minutes=5), at(1, minutes=40))

    for session in sessions:
        check_in = session.check_ins.get()
        assert (check_in.status, check_in.email_result, check_in.text_result) == (CheckInStatus.SENT, "sent", "sent")
        assert at(1, minutes=5) <= check_in.sent_at <= at(1, minutes=20)
        assert len(smtp.to(session.patient.email)) == 1
        assert recovery_now(session).status == "on_track"
    assert len(provider.delivered) == 3
    assert not Notification.objects.exists()


def test_a_permanent_refusal_puts_the_recovery_on_the_queue_with_its_reason_and_tells_the_practitioner_once(
    client_for, patient, alice, mary, smtp, provider, time_machine
):
    session = session_of(patient, alice, time_machine)
    smtp.rcpt_answer = "550 5.1.1 No such mailbox"
    provider.status, provider.error_code = 400, "40310"

    beat(time_machine, at(1), at(1, minutes=1))

    check_in = check_in_on(session, 1)
    assert (check_in.status, check_in.email_result, check_in.text_result) == (
        CheckInStatus.FAILED,
        "refused",
        "refused",
    )
    assert check_in.refusal == "email: 550; text: 400 40310"
    assert check_in.given_up_at == at(1)
    assert check_in.send_attempts == 1
    recovery = recovery_now(session)
    assert recovery.status == "overdue"
    reason = (
        "Not reached: the day-1 check-in could not be sent (e-mail address refused; number refused). Call the patient."
    )
    assert [words(f) for f in recovery.reasons_at(at(1, minutes=1))] == [reason]
    dashboard = client_for(alice).get(reverse("recovery:dashboard")).content.decode()
    assert reason in dashboard
    overdue_for = dashboard_selectors.overdue_by_reaction(
        Recovery.objects.all(), now=at(1, minutes=1), clinic_ids=[patient.clinic_id]
    )
    assert overdue_for == [("Not reached", 1)]
    [told] = Notification.objects.all()
    assert (told.kind, told.recipient, notification_words(told)) == ("not_reached", alice, f"Hannah Harbour: {reason}")

    # The next check-in fails too: the patient is still not reached, and nobody is told twice.
    beat(time_machine, at(2), at(2, minutes=1))
    assert check_in_on(session, 2).status == CheckInStatus.FAILED
    assert Notification.objects.count() == 1
    time_machine.move_to(at(2, hours=1), tick=False)
    checkin_tasks.sweep_recoveries()
    assert Notification.objects.count() == 1
    assert len(smtp.messages) == 0
    assert len(provider.delivered) == 0


def test_not_reached_lasts_until_staff_record_contact(patient, alice, smtp, provider, time_machine):
    session = session_of(patient, alice, time_machine, days=(1,))
    smtp.rcpt_answer = "550 5.1.1 No such mailbox"
    provider.status = 422
    beat(time_machine, at(1), at(1))
    time_machine.move_to(at(1, hours=2), tick=False)

    services.follow_up_create(
        recovery=session.recovery, action=FollowUpAction.CALL_NO_ANSWER, note="", recorded_by=alice
    )
    assert recovery_now(session).status == "overdue"
    services.follow_up_create(recovery=session.recovery, action=FollowUpAction.CALLED, note="", recorded_by=alice)

    assert recovery_now(session).status == "on_track"


def test_not_reached_lasts_until_a_later_check_in_goes_through(patient, alice, smtp, provider, time_machine):
    session = session_of(patient, alice, time_machine)
    provider.status = 403
    Patient.objects.filter(pk=patient.pk).update(email="")
    beat(time_machine, at(1), at(1))
    assert recovery_now(session).status == "overdue"

    provider.status = 200
    beat(time_machine, at(2), at(2))

    assert check_in_on(session, 2).status == CheckInStatus.SENT
    assert recovery_now(session).status == "on_track"


def test_a_consenting_patient_with_no_channel_that_works_is_on_the_queue_once_the_session_is_logged(
    harbour, alice, smtp, provider, time_machine, django_capture_on_commit_callbacks
):
    landline_only = PatientFactory(clinic=harbour, email="", phone="+442079460000")
    time_machine.move_to(SESSION_AT, tick=False)
    session = TreatmentSessionFactory(patient=landline_only, practitioner=alice, performed_at=SESSION_AT)

    with django_capture_on_commit_callbacks(execute=True):
        schedule.check_ins_plan(session=session)
        schedule.guide_plan(session=session)

    assert GuideMessage.objects.get().status == GuideStatus.FAILED
    recovery = recovery_now(session)
    assert recovery.status == "overdue"
    assert [words(f) for f in recovery.reasons_at(SESSION_AT)] == [
        "Not reached: the recovery guide could not be sent (the number cannot receive texts). Call the patient."
    ]
    assert Notification.objects.filter(kind="not_reached", recipient=alice).count() == 1
    assert provider.requests == []


def test_a_patients_stop_is_recorded_texts_stop_and_email_goes_on(
    client_for, patient, alice, smtp, provider, time_machine
):
    session = session_of(patient, alice, time_machine)
    provider.status, provider.error_code = 409, "40300"

    beat(time_machine, at(1), at(1))
    first = check_in_on(session, 1)
    assert (first.status, first.email_result, first.text_result) == (CheckInStatus.SENT, "sent", "stopped")
    assert Patient.objects.get(pk=patient.pk).texts_stopped_at == at(1)

    beat(time_machine, at(2), at(2))

    assert (check_in_on(session, 2).status, check_in_on(session, 2).text_result) == (CheckInStatus.SENT, "stopped")
    assert len(provider.requests) == 1
    assert len(smtp.to("hannah@example.com")) == 2
    page = client_for(alice).get(session.get_absolute_url()).content.decode()
    assert "Replied STOP to texts on 3 March 2026: no texts are sent; e-mails go on." in page


def test_a_stop_from_a_patient_without_email_leaves_them_not_reached(patient, alice, smtp, provider, time_machine):
    Patient.objects.filter(pk=patient.pk).update(email="")
    session = session_of(patient, alice, time_machine, days=(1,))
    provider.status, provider.error_code = 409, "40300"

    beat(time_machine, at(1), at(1))

    assert [words(f) for f in recovery_now(session).reasons_at(at(1))] == [
        "Not reached: the day-1 check-in could not be sent (the patient replied STOP to texts). Call the patient."
    ]


def test_a_mail_server_that_takes_the_message_and_stalls_gets_one_copy_and_the_check_in_counts_as_asked(
    client_for, patient, alice, smtp, provider, time_machine
):
    Patient.objects.filter(pk=patient.pk).update(phone="")
    session = session_of(patient, alice, time_machine, days=(1,))
    smtp.stall = True

    beat(time_machine, at(1), at(1, hours=3))

    check_in = check_in_on(session, 1)
    assert (check_in.status, check_in.email_result, check_in.possibly_sent) == (CheckInStatus.SENT, "unconfirmed", True)
    assert check_in.sent_at == at(1)
    assert check_in.send_attempts == 1
    assert len(smtp.messages) == 1
    page = client_for(alice).get(session.get_absolute_url()).content.decode()
    assert "Possibly sent" in page
    # Asked, so missed like any sent check-in: never counted as never asked.
    time_machine.move_to(at(2, minutes=1), tick=False)
    assert recovery_now(session).status == "overdue"


def test_a_provider_asking_to_wait_is_not_asked_again_before_its_retry_after(
    patient, alice, smtp, provider, time_machine
):
    session = session_of(patient, alice, time_machine, days=(1,))
    provider.status, provider.headers = 429, {"Retry-After": "600"}

    beat(time_machine, at(1), at(1, minutes=9))
    assert len(provider.requests) == 1
    provider.status = 200
    beat(time_machine, at(1, minutes=10), at(1, minutes=10))

    assert len(provider.requests) == 2
    assert check_in_on(session, 1).text_result == "sent"
    assert len(smtp.messages) == 1


def test_a_mail_server_busy_for_an_hour_is_waited_out(patient, alice, smtp, provider, time_machine):
    session = session_of(patient, alice, time_machine, days=(1,))
    smtp.data_answer = "451 4.3.0 Try again later"

    beat(time_machine, at(1), at(1, hours=1))
    assert check_in_on(session, 1).email_result == ""
    smtp.data_answer = "250 OK"
    beat(time_machine, at(1, hours=1, minutes=1), at(1, hours=2))

    check_in = check_in_on(session, 1)
    assert (check_in.status, check_in.email_result, check_in.sent_at) == (CheckInStatus.SENT, "sent", at(1))
    assert len(smtp.to("hannah@example.com")) == 7


def test_staff_emails_outlast_a_mail_server_outage_and_go_once(patient, alice, mary, smtp, time_machine):
    session = session_of(patient, alice, time_machine, days=())
    smtp.stop()
    time_machine.move_to(at(1), tick=False)
    # The patient asks to be called: the practitioner and the manager are told at once.
    services.report_create(
        session=session,
        reported_at=at(1),
        reactions=[],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=True,
        source="staff",
        recorded_by=alice,
    )
    beat(time_machine, at(1, minutes=3), at(1, minutes=20))
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    smtp.start()
    beat(time_machine, at(1, minutes=21), at(1, hours=1))

    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert len(smtp.to("alice@example.com")) == 1
    assert len(smtp.to("mary@example.com")) == 1


def test_a_staff_email_refused_for_good_is_given_up_at_once(patient, alice, smtp, time_machine):
    session = session_of(patient, alice, time_machine, days=())
    notification = Notification.objects.create(
        recipient=alice, recovery=session.recovery, kind="red_flag", event_key="x"
    )
    smtp.rcpt_answer = "550 5.1.1 No such mailbox"

    beat(time_machine, at(1), at(1, minutes=30))

    notification.refresh_from_db()
    assert (notification.email_result, notification.email_given_up_at, notification.email_attempts) == (
        "refused",
        at(1),
        1,
    )


def test_a_staff_email_the_server_takes_and_stalls_on_is_not_sent_again(patient, alice, smtp, time_machine):
    session = session_of(patient, alice, time_machine, days=())
    Notification.objects.create(recipient=alice, recovery=session.recovery, kind="red_flag", event_key="x")
    smtp.stall = True

    beat(time_machine, at(1), at(1, hours=2))

    assert len(smtp.messages) == 1
    assert Notification.objects.get().email_result == "unconfirmed"


def test_patients_emails_come_from_their_clinic_and_replies_go_to_its_mailbox(
    harbour, patient, alice, smtp, provider, time_machine, settings
):
    settings.DEFAULT_FROM_EMAIL = "Recovery Desk <checkins@harbour-clinics.co.uk>"
    settings.REPLY_TO_EMAIL = "frontdesk@harbour-clinics.co.uk"
    session = session_of(patient, alice, time_machine)
    beat(time_machine, at(1), at(1))
    harbour.reply_to_email = "harbour@harbour-clinics.co.uk"
    harbour.save()
    beat(time_machine, at(2), at(2))

    first, second = smtp.to("hannah@example.com")
    assert "From: Harbour Skin Clinic <checkins@harbour-clinics.co.uk>" in first
    assert "Reply-To: frontdesk@harbour-clinics.co.uk" in first
    assert "Reply-To: harbour@harbour-clinics.co.uk" in second
    assert mail.outbox == []
    assert session.check_ins.filter(status=CheckInStatus.SENT).count() == 2
