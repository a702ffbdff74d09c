import itertools
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from checkins import services as check_ins
from checkins import tasks as checkin_tasks
from clinics.models import Membership, Role
from messaging import handoff
from recovery import schedule, tasks
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionReport, Recovery
from recovery.rules import Severity, just_after
from tests.text_messages import MemoryBackend

from ..factories import PatientFactory, TreatmentSessionFactory

SESSION_AT = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))


def at(days=0, hours=0):
    return SESSION_AT + timedelta(days=days, hours=hours)


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    MemoryBackend.outbox.clear()


@pytest.fixture
def planned(harbour, alice, time_machine):
    """Hannah (consenting) treated by Alice on 2 March at 10:00, check-ins planned."""
    time_machine.move_to(SESSION_AT + timedelta(minutes=5), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", phone="+44 7400 900111")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)
    schedule.check_ins_plan(session=session)
    return session


def first_check_in(session):
    return session.check_ins.order_by("due_at").first()


def send_due(time_machine, moment):
    time_machine.move_to(moment, tick=False)
    return checkin_tasks.send_due_check_ins()


def link_of(check_in):
    return check_ins.link_path(check_in)


def answer(client, check_in, **fields):
    data = {
        f"reaction_{code}": "0"
        for code in ["redness", "swelling", "tenderness", "bruising", "itch_warmth", "peeling", "nodules"]
    }
    data.update({f"flag_{q.code}": "no" for q in check_in.session.clinic.red_flag_questions.all()})
    data.update(fields)
    return client.post(link_of(check_in), data)


def test_consenting_patient_gets_the_default_schedule(planned):
    assert [c.due_at for c in planned.check_ins.order_by("due_at")] == [at(1), at(2), at(4), at(7), at(14)]
    assert set(planned.check_ins.values_list("status", flat=True)) == {CheckInStatus.PLANNED}


def test_patient_without_consent_gets_no_check_in(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, consents_to_check_ins=False), practitioner=alice
    )

    assert schedule.check_ins_plan(session=session) == []


def test_clinic_schedule_is_used(harbour, alice, time_machine):
    harbour.check_in_days = [3, 10]
    harbour.save()
    time_machine.move_to(SESSION_AT, tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=SESSION_AT
    )

    schedule.check_ins_plan(session=session)

    assert [c.due_at for c in session.check_ins.order_by("due_at")] == [at(3), at(10)]


def test_back_dated_session_skips_check_ins_already_past(harbour, alice, time_machine):
    time_machine.move_to(at(3), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=SESSION_AT
    )

    schedule.check_ins_plan(session=session)

    assert [c.due_at for c in session.check_ins.order_by("due_at")] == [at(4), at(7), at(14)]


def test_logging_a_session_plans_its_check_ins(client_for, alice, harbour_patient, harbour_batch):
    from ..treatments.test_sessions import CREATE_URL, session_post

    client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, harbour_batch))

    assert CheckIn.objects.count() == 5


def test_nothing_is_sent_before_it_is_due(planned, time_machine):
    assert send_due(time_machine, at(1) - timedelta(minutes=1)) == 0
    assert mail.outbox == []


def test_a_due_check_in_is_sent_by_email_and_text_with_only_the_clinic_and_the_link(planned, time_machine):
    send_due(time_machine, at(1, hours=1))

    check_in = first_check_in(planned)
    assert check_in.status == CheckInStatus.SENT
    [email] = mail.outbox
    assert email.to == [planned.patient.email]
    assert email.subject == "Harbour Skin Clinic: how are you feeling?"
    assert "https://clinic.example.com" + check_ins.message_link_path(check_in) in email.body
    [text] = MemoryBackend.outbox
    assert text["to"] == "+447400900111"
    assert "Harbour Skin Clinic" in text["body"]
    for health_detail in ["Hannah", "Harbour,", "Hydra", "nappage", "face", "redness"]:
        assert health_detail.lower() not in (email.body + text["body"]).lower().replace("harbour skin clinic", "")


def test_running_the_send_twice_sends_once(planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    send_due(time_machine, at(1, hours=1))

    assert len(mail.outbox) == 1
    assert len(MemoryBackend.outbox) == 1


def test_two_workers_racing_for_the_same_check_in_send_it_once(planned, time_machine):
    time_machine.move_to(at(1, hours=1), tick=False)
    check_in = first_check_in(planned)

    results = [
        check_ins.check_in_send(check_in_id=check_in.pk, base_url="https://x"),
        check_ins.check_in_send(check_in_id=check_in.pk, base_url="https://x"),
    ]

    assert results == [True, False]
    assert len(mail.outbox) == 1


def test_a_claim_abandoned_by_a_dead_worker_is_taken_again_after_its_lease(planned, time_machine):
    time_machine.move_to(at(1, hours=1), tick=False)
    check_in = first_check_in(planned)
    CheckIn.objects.filter(pk=check_in.pk).update(
        status=CheckInStatus.SENDING, claimed_until=timezone.now() + handoff.claim_lease()
    )

    assert send_due(time_machine, at(1, hours=1)) == 0
    assert send_due(time_machine, at(1, hours=1) + handoff.claim_lease() + timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 1


def test_patient_page_opens_from_the_link_with_the_aftercare(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))

    response = client.get(link_of(first_check_in(planned)))

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "How are you feeling?" in page
    assert "Redness or pinkness of the skin" in page
    assert "Is there any pus or fluid coming from the skin?" in page


def test_tampered_link_is_refused_and_nothing_is_stored(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    url = link_of(first_check_in(planned))
    tampered = url[:-3] + ("a" if url[-3] != "a" else "b") + url[-2:]

    response = client.post(tampered, {"wants_call": "on"})

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_another_clinics_check_in_cannot_be_opened_under_this_clinics_address(client, planned, riverside, time_machine):
    send_due(time_machine, at(1, hours=1))
    token = signing.dumps(str(first_check_in(planned).pk), salt=check_ins.LINK_SALT)

    response = client.get(reverse("checkins:check_in", args=[riverside.pk, token]))

    assert response.status_code == 400


def test_expired_link_shows_the_clinics_phone(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    url = link_of(first_check_in(planned))
    time_machine.move_to(at(1, hours=1) + timedelta(hours=73), tick=False)

    response = client.post(url, {"wants_call": "on"})

    page = response.content.decode()
    assert "This check-in has closed" in page
    assert "+44 20 7946 0101" in page
    assert not ReactionReport.objects.exists()


def test_answer_is_stored_as_the_patients_report_and_closes_the_check_in(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)
    time_machine.move_to(at(1, hours=3), tick=False)

    response = answer(client, check_in, reaction_redness="1", note="A little pink.")

    assert response.status_code == 302
    report = ReactionReport.objects.get()
    assert (report.source, report.note, report.recorded_by) == ("patient", "A little pink.", None)
    check_in.refresh_from_db()
    assert (check_in.status, check_in.report) == (CheckInStatus.ANSWERED, report)
    page = client.get(response["Location"]).content.decode()
    assert "Thank you, we have your answers" in page


def test_a_double_tap_or_a_replay_stores_one_report(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)

    answer(client, check_in, reaction_redness="1")
    replay = answer(client, check_in, reaction_redness="3")

    assert ReactionReport.objects.count() == 1
    assert "Thank you, we have your answers" in replay.content.decode()


def test_red_flag_tells_the_patient_to_call_the_clinic_now(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))

    response = answer(client, first_check_in(planned), flag_discharge="yes")
    page = client.get(response["Location"]).content.decode()

    assert "Please call the clinic now" in page
    assert "tel:+44 20 7946 0101" in page
    assert "Thank you, we have your answers" not in page


@pytest.mark.parametrize("flag", ["airway", "vision"])
def test_breathing_throat_or_vision_problems_send_the_patient_to_emergency_services(
    client, planned, time_machine, flag
):
    send_due(time_machine, at(1, hours=1))

    response = answer(client, first_check_in(planned), **{f"flag_{flag}": "yes"})
    page = client.get(response["Location"]).content.decode()

    assert "Call 999 now" in page
    assert "tel:999" in page


def test_red_flag_notifies_the_practitioner_and_the_managers_in_app_and_by_email(
    client, planned, mary, time_machine, django_capture_on_commit_callbacks
):
    send_due(time_machine, at(1, hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer(client, first_check_in(planned), flag_fever="yes")

    notified = Notification.objects.filter(kind="red_flag")
    assert sorted(n.recipient.username for n in notified) == ["alice", "mary"]
    assert all(n.emailed_at is not None for n in notified)
    assert sorted(email.to[0] for email in mail.outbox) == ["alice@example.com", "mary@example.com"]
    assert all("Hannah" not in email.body and "Fever" not in email.body for email in mail.outbox)
    assert Recovery.objects.with_status().get(pk=planned.pk).status == "needs_attention"


def test_a_notification_is_emailed_once_however_often_the_relay_runs(planned, time_machine, client):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), flag_fever="yes")
    mail.outbox.clear()
    time_machine.move_to(at(1, hours=1) + handoff.relay_grace() + timedelta(seconds=1), tick=False)

    tasks.relay_notification_emails()
    tasks.relay_notification_emails()

    assert len(mail.outbox) == 1


def test_each_email_carries_a_message_id_of_its_own_row_so_a_repeat_is_recognised(planned, time_machine, client):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)
    [check_in_email] = mail.outbox
    answer(client, check_in, flag_fever="yes")
    mail.outbox.clear()
    time_machine.move_to(at(1, hours=1) + handoff.relay_grace() + timedelta(seconds=1), tick=False)
    tasks.relay_notification_emails()

    [notification_email] = mail.outbox
    notification = Notification.objects.get(recipient=planned.practitioner)
    assert check_in_email.message()["Message-ID"] == f"<check-in.{check_in.pk}@clinic.example.com>"
    assert notification_email.message()["Message-ID"] == f"<notification.{notification.pk}@clinic.example.com>"


def test_the_sweep_marks_a_missed_check_in_and_tells_the_practitioner_once(planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    time_machine.move_to(at(2, hours=1), tick=False)
    checkin_tasks.sweep_recoveries()
    assert first_check_in(planned).status == CheckInStatus.SENT
    time_machine.move_to(at(2, hours=1) + timedelta(minutes=1), tick=False)

    checkin_tasks.sweep_recoveries()
    checkin_tasks.sweep_recoveries()

    assert first_check_in(planned).status == CheckInStatus.MISSED
    assert Notification.objects.filter(kind="missed_check_in").count() == 1
    assert Recovery.objects.with_status().get(pk=planned.pk).status == "overdue"


def test_the_sweep_tells_of_each_transition_once(planned, time_machine, client):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), reaction_swelling="1")
    time_machine.move_to(at(2, hours=2), tick=False)
    checkin_tasks.sweep_recoveries()
    checkin_tasks.sweep_recoveries()
    time_machine.move_to(at(4, hours=2), tick=False)
    checkin_tasks.sweep_recoveries()

    kinds = list(Notification.objects.order_by("created_at").values_list("kind", flat=True))
    assert kinds.count("overdue") == 1
    assert kinds.count("needs_attention") == 1


def test_staff_see_their_notifications_with_an_unread_count_and_mark_them_read(
    client_for, planned, mary, bob, time_machine, client
):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), flag_fever="yes")
    staff = client_for(mary)

    page = staff.get(reverse("recovery:notifications")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert "Red flag for Hannah Harbour: Fever" in page

    staff.post(reverse("recovery:notifications_read"), {})
    assert 'data-testid="unread-count"' not in staff.get(reverse("recovery:notifications")).content.decode()


def test_staff_never_see_anyone_elses_notifications(client_for, planned, bob, time_machine, client):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), flag_fever="yes")
    mine = Notification.objects.first()

    page = client_for(bob).get(reverse("recovery:notifications")).content.decode()
    client_for(bob).post(reverse("recovery:notifications_read"), {"notification": str(mine.pk)})

    assert "Hannah" not in page
    mine.refresh_from_db()
    assert mine.read_at is None


def test_someone_who_left_the_clinic_no_longer_sees_its_notifications(
    client_for, planned, mary, harbour, riverside, time_machine, client
):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), flag_fever="yes")
    Membership.objects.create(user=mary, clinic=riverside, role=Role.MANAGER)
    Membership.objects.filter(user=mary, clinic=harbour).delete()

    page = client_for(mary).get(reverse("recovery:notifications")).content.decode()

    assert "Hannah" not in page
    assert 'data-testid="unread-count"' not in page
    assert Notification.objects.filter(recipient=mary, read_at=None).count() == 1


def planned_moments(session):
    return list(session.check_ins.filter(status=CheckInStatus.PLANNED).values_list("due_at", flat=True))


def test_send_now_sends_an_extra_check_in_at_once_and_keeps_the_schedule(
    client_for, alice, planned, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(hours=6), tick=False)
    schedule = planned_moments(planned)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("checkins:check_in_send", args=[planned.pk]), follow=True)

    extra = planned.check_ins.get(due_at=at(hours=6))
    assert extra.status == CheckInStatus.SENT
    assert planned_moments(planned) == schedule
    assert len(schedule) == 5
    assert [message.to for message in mail.outbox] == [["hannah.harbour@example.com"]]
    assert "An extra check-in is on its way to the patient" in response.content.decode()


def test_two_taps_on_send_now_send_one_extra_check_in(client_for, alice, planned, time_machine):
    time_machine.move_to(at(hours=6), tick=False)
    staff = client_for(alice)
    staff.post(reverse("checkins:check_in_send", args=[planned.pk]))
    time_machine.move_to(at(hours=6) + timedelta(seconds=2), tick=False)

    response = staff.post(reverse("checkins:check_in_send", args=[planned.pk]), follow=True)

    assert planned.check_ins.count() == 6
    assert "A check-in was sent to the patient a few minutes ago." in response.content.decode()


def test_send_now_is_refused_without_consent_and_nothing_is_planned(client_for, alice, harbour, time_machine):
    time_machine.move_to(at(hours=6), tick=False)
    patient = PatientFactory(clinic=harbour, consents_to_check_ins=False)
    session = TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=SESSION_AT)

    response = client_for(alice).post(reverse("checkins:check_in_send", args=[session.pk]), follow=True)

    assert "The patient has not consented to check-in messages." in response.content.decode()
    assert not session.check_ins.exists()


def test_staff_of_another_clinic_cannot_send_a_check_in(client_for, bob, planned):
    assert client_for(bob).post(reverse("checkins:check_in_send", args=[planned.pk])).status_code == 404
    assert planned.check_ins.count() == 5
    assert first_check_in(planned).due_at == at(1)


def test_session_page_shows_the_planned_check_ins(client_for, alice, planned):
    page = client_for(alice).get(planned.get_absolute_url()).content.decode()

    assert page.count('data-testid="check-in"') == 5
    assert "Planned" in page


def test_every_red_flag_question_needs_an_answer(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)
    data = {f"reaction_{t.code}": "0" for t in planned.clinic.reaction_types.all()}

    response = client.post(link_of(check_in), data)

    assert response.status_code == 200
    assert "Please answer yes or no." in response.content.decode()
    assert not ReactionReport.objects.exists()


def test_a_pain_score_typed_while_soreness_still_says_none_is_taken_as_pain(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))

    answer(client, first_check_in(planned), pain_tenderness="9")

    tenderness = ReactionReport.objects.get().reactions.get(reaction_type__code="tenderness")
    assert (tenderness.severity, tenderness.pain_score) == (Severity.MILD, 9)
    assert Recovery.objects.get(pk=planned.pk).status_at() == "needs_attention"


def test_an_answered_link_expires_like_any_other(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)
    answer(client, check_in, flag_fever="yes")
    time_machine.move_to(at(1, hours=1) + timedelta(hours=73), tick=False)

    page = client.get(link_of(check_in)).content.decode()

    assert "This check-in has closed" in page
    assert "fever" not in page.lower()


def test_no_check_in_goes_out_after_consent_is_withdrawn(planned, time_machine):
    planned.patient.consents_to_check_ins = False
    planned.patient.save()

    send_due(time_machine, at(1, hours=1))

    assert first_check_in(planned).status == CheckInStatus.CANCELLED
    assert mail.outbox == []
    assert MemoryBackend.outbox == []


def test_a_failing_text_is_retried_without_sending_the_email_again(planned, time_machine, monkeypatch):
    def refuse(self, *, to, body, idempotency_key):
        raise OSError("provider down")

    monkeypatch.setattr(MemoryBackend, "send", refuse)
    send_due(time_machine, at(1, hours=1))
    assert first_check_in(planned).status == CheckInStatus.PLANNED
    monkeypatch.undo()

    send_due(
        time_machine,
        at(
            1,
            hours=1,
        )
        + timedelta(minutes=1),
    )

    assert first_check_in(planned).status == CheckInStatus.SENT
    assert len(mail.outbox) == 1
    assert len(MemoryBackend.outbox) == 1


def test_a_check_in_that_cannot_leave_is_tried_with_growing_waits_through_its_day_never_at_night_then_given_up(
    planned, time_machine, monkeypatch
):
    def down(self, *, to, body, idempotency_key):
        raise OSError("provider down")

    monkeypatch.setattr(MemoryBackend, "send", down)
    check_in = first_check_in(planned)
    planned.patient.email = ""
    planned.patient.save()
    attempts = []
    minute = at(1)
    while minute <= at(1, hours=13) and first_check_in(planned).status != CheckInStatus.FAILED:
        before = first_check_in(planned).send_attempts
        send_due(time_machine, minute)
        if first_check_in(planned).send_attempts > before:
            attempts.append(int((minute - at(1)).total_seconds() // 60))
        minute += timedelta(minutes=1)

    # Due at 10:00: 1, 2, 4, 8, 16 minutes apart, then every half hour, the last at 19:31, since
    # the next (20:01) would be in the clinic's night and the morning is past 12 h after it was due.
    assert attempts[:7] == [0, 1, 3, 7, 15, 31, 61]
    assert {later - earlier for earlier, later in itertools.pairwise(attempts[6:])} == {30}
    assert attempts[-1] == 9 * 60 + 31
    check_in.refresh_from_db()
    assert (check_in.status, check_in.text_result, check_in.sent_at) == (CheckInStatus.FAILED, "no_answer", None)
    assert check_in.given_up_at == at(1, hours=9) + timedelta(minutes=31)


def test_two_patients_falling_overdue_at_the_same_moment_are_both_told(harbour, alice, time_machine):
    time_machine.move_to(SESSION_AT, tick=False)
    sessions = [
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=SESSION_AT)
        for _ in range(2)
    ]
    for session in sessions:
        CheckIn.objects.create(session=session, due_at=at(1), status=CheckInStatus.SENT, sent_at=at(1))
    time_machine.move_to(at(2, hours=1), tick=False)

    checkin_tasks.sweep_recoveries()

    assert Notification.objects.filter(kind="missed_check_in").count() == 2


def test_a_practitioner_who_left_is_replaced_by_the_managers_in_the_sweep(planned, alice, mary, time_machine):
    alice.is_active = False
    alice.save()
    send_due(time_machine, at(1, hours=1))
    time_machine.move_to(at(2, hours=2), tick=False)

    checkin_tasks.sweep_recoveries()

    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"mary"}


def test_an_extra_check_in_is_awaited_from_when_it_was_sent(
    client_for, alice, planned, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(SESSION_AT + timedelta(hours=2), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(reverse("checkins:check_in_send", args=[planned.pk]))

    recovery = Recovery.objects.get(pk=planned.pk)
    assert recovery.overdue_at == just_after(SESSION_AT + timedelta(hours=2) + timedelta(hours=24))


def test_a_late_evening_session_is_checked_on_next_morning_not_at_night(harbour, alice, time_machine):
    evening = timezone.make_aware(timezone.datetime(2026, 3, 2, 22, 30), harbour.zone)
    time_machine.move_to(evening, tick=False)
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=evening)

    schedule.check_ins_plan(session=session)

    first = timezone.localtime(first_check_in(session).due_at, harbour.zone)
    assert (first.date().isoformat(), first.hour, first.minute) == ("2026-03-04", 9, 0)


def test_check_ins_keep_the_clinics_wall_clock_across_a_clock_change(harbour, alice, time_machine):
    before_change = timezone.make_aware(timezone.datetime(2026, 3, 27, 11, 0), harbour.zone)
    time_machine.move_to(before_change, tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=before_change
    )

    schedule.check_ins_plan(session=session)

    local_times = {timezone.localtime(c.due_at, harbour.zone).strftime("%H:%M") for c in session.check_ins.all()}
    assert local_times == {"11:00"}


def test_a_red_flag_already_notified_is_not_notified_again_by_the_sweep(planned, time_machine, client):
    send_due(time_machine, at(1, hours=1))
    answer(client, first_check_in(planned), flag_fever="yes")
    time_machine.move_to(at(1, hours=3), tick=False)

    checkin_tasks.sweep_recoveries()

    assert not Notification.objects.filter(kind="needs_attention").exists()
    assert Notification.objects.filter(kind="red_flag").exists()


def test_marking_notifications_read_never_sends_the_browser_elsewhere(client_for, alice):
    response = client_for(alice).post(reverse("recovery:notifications_read"), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("recovery:notifications")


def test_a_check_in_is_not_left_sent_when_its_recovery_could_not_be_updated(planned, time_machine, monkeypatch):
    def fail(**kwargs):
        raise OSError("database went away")

    monkeypatch.setattr(check_ins.services, "recovery_assess", fail)
    time_machine.move_to(at(1, hours=1), tick=False)

    with pytest.raises(OSError, match="database went away"):
        check_ins.check_in_send(check_in_id=first_check_in(planned).pk, base_url="https://x")

    check_in = first_check_in(planned)
    assert (check_in.status, check_in.sent_at) == (CheckInStatus.SENDING, None)


def test_the_link_is_the_same_on_every_attempt_and_links_sent_before_still_open(client, planned, time_machine):
    send_due(time_machine, at(1, hours=1))
    check_in = first_check_in(planned)
    first = link_of(check_in)
    time_machine.move_to(at(1, hours=2), tick=False)
    signed_the_old_way = signing.dumps(str(check_in.pk), salt=check_ins.LINK_SALT)

    assert link_of(check_in) == first
    assert client.get(reverse("checkins:check_in", args=[planned.clinic_id, signed_the_old_way])).status_code == 200
