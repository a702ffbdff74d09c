"""The patient's recovery guide: sent once the session is logged, to a consenting patient, with a
link that follows the check-in link's rules, and a page made from the clinic's catalogue."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from checkins import guides, tasks
from checkins import services as check_ins
from messaging import handoff
from messaging.sms import segments
from messaging.text_messages import TextMessageRefused
from patients.models import Patient
from recovery import schedule
from recovery.models import CheckInStatus, GuideMessage, GuideStatus, Notification, ReactionType, Recovery
from recovery.reasons import words
from tests.text_messages import MemoryBackend
from treatments.models import Area

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory, altered

SESSION_AT = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
CLINIC_PHONE = "+44 20 7946 0101"


def at(days=0, hours=0, minutes=0):
    return SESSION_AT + timedelta(days=days, hours=hours, minutes=minutes)


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    MemoryBackend.outbox.clear()


@pytest.fixture
def session(harbour, alice, time_machine):
    """Hannah (consenting) treated by Alice on 2 March at 10:00 on the face and neck; check-ins planned."""
    time_machine.move_to(at(minutes=30), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", phone="+44 7400 900111")
    session = TreatmentSessionFactory(
        patient=patient,
        practitioner=alice,
        performed_at=SESSION_AT,
        areas=[Area.FACE, Area.NECK],
        aftercare=["no_makeup_24h", "cold_compress"],
        notes="Patient anxious about needles; slight bleed at the jawline.",
        batches=[BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")],
    )
    schedule.check_ins_plan(session=session)
    return session


@pytest.fixture
def sent(session, django_capture_on_commit_callbacks):
    """The guide of `session`, planned and handed to a worker after commit, as logging the session does."""
    with django_capture_on_commit_callbacks(execute=True):
        message = schedule.guide_plan(session=session)
    message.refresh_from_db()
    return message


def link_of(session):
    return guides.link_path(session)


# Sending


def test_logging_a_session_sends_the_guide_once_committed(
    client_for, alice, harbour_patient, harbour_batch, django_capture_on_commit_callbacks
):
    from ..treatments.test_sessions import CREATE_URL, session_post

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, harbour_batch))
    message = GuideMessage.objects.get()
    assert (message.status, mail.outbox) == (GuideStatus.PENDING, [])

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert message.status == GuideStatus.SENT
    assert message.requested_by is None
    assert [email.subject for email in mail.outbox] == ["Harbour Skin Clinic: your recovery guide"]
    assert len(MemoryBackend.outbox) == 1


def test_the_message_carries_only_the_clinics_name_and_the_link(session, sent):
    [email] = mail.outbox
    [text] = MemoryBackend.outbox
    link = f"https://clinic.example.com/g/{sent.code}"
    assert email.to == ["hannah.harbour@example.com"]
    assert link in email.body
    assert text["to"] == "+447400900111"
    assert text["body"] == f"Harbour Skin Clinic: your recovery guide, to keep for the coming days: {link}"
    said = (email.subject + email.body + text["body"]).lower().replace("harbour skin clinic", "")
    for health_detail in ["hannah", "harbour", "hydra", "hb-001", "nappage", "face", "neck", "redness", "make-up"]:
        assert health_detail not in said


def test_a_patient_without_consent_is_sent_no_guide(harbour, alice, django_capture_on_commit_callbacks):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, consents_to_check_ins=False), practitioner=alice
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert schedule.guide_plan(session=session) is None

    assert not GuideMessage.objects.exists()
    assert (mail.outbox, MemoryBackend.outbox) == ([], [])


def test_consent_withdrawn_before_the_send_cancels_it_and_nothing_leaves(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = schedule.guide_plan(session=session)
    session.patient.consents_to_check_ins = False
    session.patient.save()

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert message.status == GuideStatus.CANCELLED
    assert (mail.outbox, MemoryBackend.outbox) == ([], [])


def test_a_session_logged_after_its_recovery_sends_no_guide(harbour, alice, time_machine):
    time_machine.move_to(at(days=20), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=SESSION_AT
    )
    schedule.check_ins_plan(session=session)

    assert schedule.guide_plan(session=session) is None


def test_running_the_send_twice_sends_once(session, sent):
    assert guides.guide_send(guide_message_id=sent.pk, base_url="https://x") is False

    assert (len(mail.outbox), len(MemoryBackend.outbox)) == (1, 1)


def test_two_workers_racing_for_the_same_guide_send_it_once(session):
    message = GuideMessage.objects.create(session=session)

    results = [
        guides.guide_send(guide_message_id=message.pk, base_url="https://x"),
        guides.guide_send(guide_message_id=message.pk, base_url="https://x"),
    ]

    assert results == [True, False]
    assert len(mail.outbox) == 1


def test_a_guide_left_by_a_broker_outage_is_relayed_once(session, time_machine, django_capture_on_commit_callbacks):
    # The commit's hand-over never reaches a worker: only the row is left.
    with django_capture_on_commit_callbacks(execute=False):
        message = schedule.guide_plan(session=session)

    assert tasks.relay_guides() == 0
    time_machine.move_to(at(minutes=30) + handoff.relay_grace() + timedelta(seconds=1), tick=False)
    assert tasks.relay_guides() == 1
    assert tasks.relay_guides() == 0

    message.refresh_from_db()
    assert message.status == GuideStatus.SENT
    assert (len(mail.outbox), len(MemoryBackend.outbox)) == (1, 1)


def test_a_guide_left_half_sent_by_a_dead_worker_is_sent_again_recognisably_after_its_lease(session, time_machine):
    message = GuideMessage.objects.create(session=session)
    # The worker sent both, and died before recording either: the claim is all that is left.
    guides.guide_send(guide_message_id=message.pk, base_url="https://clinic.example.com")
    GuideMessage.objects.filter(pk=message.pk).update(
        status=GuideStatus.SENDING,
        claimed_until=timezone.now() + handoff.claim_lease(),
        emailed_at=None,
        texted_at=None,
        email_result="",
        text_result="",
        sent_at=None,
    )

    assert tasks.relay_guides() == 0
    time_machine.move_to(timezone.now() + handoff.claim_lease() + timedelta(seconds=1), tick=False)
    assert tasks.relay_guides() == 1

    first, again = mail.outbox
    assert first.message()["Message-ID"] == again.message()["Message-ID"] == f"<guide.{message.pk}@clinic.example.com>"
    assert first.body == again.body
    first_text, text_again = MemoryBackend.outbox
    assert first_text == text_again
    assert first_text["idempotency_key"] == f"guide:{message.pk}"


def test_a_failing_text_is_retried_by_the_relay_without_sending_the_email_again(session, time_machine, monkeypatch):
    def refuse(self, *, to, body, idempotency_key):
        raise OSError("provider down")

    message = GuideMessage.objects.create(session=session)
    monkeypatch.setattr(MemoryBackend, "send", refuse)
    guides.guide_send(guide_message_id=message.pk, base_url="https://x")
    message.refresh_from_db()
    assert message.status == GuideStatus.PENDING
    monkeypatch.undo()

    time_machine.move_to(timezone.now() + handoff.relay_grace() + timedelta(seconds=1), tick=False)
    tasks.relay_guides()

    message.refresh_from_db()
    assert message.status == GuideStatus.SENT
    assert (len(mail.outbox), len(MemoryBackend.outbox)) == (1, 1)


def test_a_guide_no_channel_can_take_is_given_up_at_once_and_puts_the_patient_on_the_queue(session, alice):
    Patient.objects.filter(pk=session.patient_id).update(email="", phone="+442079460000")
    message = GuideMessage.objects.create(session=session)

    guides.guide_send(guide_message_id=message.pk, base_url="https://x")

    message.refresh_from_db()
    assert (message.status, message.email_result, message.text_result) == (GuideStatus.FAILED, "missing", "not_mobile")
    recovery = Recovery.objects.get(pk=session.pk)
    assert recovery.status_at() == "overdue"
    assert [words(f) for f in recovery.reasons_at()] == [
        "Not reached: the recovery guide could not be sent (the number cannot receive texts). Call the patient."
    ]
    assert Notification.objects.filter(kind="not_reached", recipient=alice).count() == 1
    assert mail.outbox == []


def test_a_text_refused_for_good_is_not_tried_again_and_the_email_still_carries_the_guide(session, monkeypatch, caplog):
    def refuse_for_good(self, *, to, body, idempotency_key):
        raise TextMessageRefused("The provider refused the message: 422 40310")

    message = GuideMessage.objects.create(session=session)
    monkeypatch.setattr(MemoryBackend, "send", refuse_for_good)

    assert guides.guide_send(guide_message_id=message.pk, base_url="https://x") is True

    message.refresh_from_db()
    assert (message.status, message.texted_at) == (GuideStatus.SENT, None)
    assert len(mail.outbox) == 1
    assert "refused and is not tried again" in caplog.text


def test_a_guide_no_channel_can_take_is_failed_not_shown_as_sent(session):
    session.patient.email = ""
    session.patient.phone = ""
    session.patient.save()
    message = GuideMessage.objects.create(session=session)

    assert guides.guide_send(guide_message_id=message.pk, base_url="https://x") is False

    message.refresh_from_db()
    assert message.status == GuideStatus.FAILED


# The page


def test_the_guide_opens_from_its_link_with_no_login_kept_private(client, session, sent):
    response = client.get(link_of(session))

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Your recovery guide" in response.content.decode()


def test_the_guide_says_what_is_normal_and_for_how_long_from_the_clinics_catalogue(client, session, sent):
    page = client.get(link_of(session)).content.decode()

    assert "<strong>Redness or pinkness of the skin</strong>: usually gone within 48 hours." in page
    assert "<strong>Puffiness or swelling</strong>: usually gone within 48 hours." in page
    assert "<strong>Small bruises or tiny dots where the needle went in</strong>: usually gone within 10 days." in page
    assert "<strong>Flaking, peeling or dry skin</strong>: usually gone within 7 days." in page
    assert "Call the clinic if it gets worse instead of better or it is still there after 4 days." in page
    assert (
        "Call the clinic if it gets worse instead of better, it is still there after 4 days "
        "or the pain reaches 7 out of 10 or more." in page
    )
    assert "Call the clinic if it gets worse instead of better or it first appears 14 days or more after" in page


def test_the_guide_follows_the_clinics_own_figures(client, session, sent):
    ReactionType.objects.filter(clinic=session.clinic, code="redness").update(
        fades_by_hours=24, patient_wording="A pink flush"
    )

    page = client.get(link_of(session)).content.decode()

    assert "<strong>A pink flush</strong>: usually gone within 24 hours." in page


def test_the_guide_gives_the_treated_areas_and_only_the_aftercare_ticked(client, session, sent):
    page = client.get(link_of(session)).content.decode()

    assert "After your treatment on Monday 2 March 2026" in page
    assert '<span data-testid="guide-areas">face, neck</span>' in page
    assert "No make-up for 24 hours" in page
    assert "Cold compress for warmth or puffiness" in page
    assert "Drink water" not in page


def test_the_guide_gives_each_red_flag_with_whom_to_call(client, session, sent):
    page = client.get(link_of(session)).content.decode()
    emergency, clinic = page.split('data-testid="guide-emergency"')[1].split('data-testid="guide-call-clinic"')

    assert "Call 999 now, without waiting for the clinic" in emergency
    assert "Are your lips, tongue or throat swelling, or is it hard to breathe or swallow?" in emergency
    assert "Has your eyesight changed in any way" in emergency
    assert 'href="tel:999"' in emergency
    assert "Is there any pus" not in emergency
    assert f"Call the clinic now on {CLINIC_PHONE}" in clinic
    assert "Is there any pus or fluid coming from the skin?" in clinic
    assert "Do you have a fever or feel feverish and unwell?" in clinic
    assert f'href="tel:{CLINIC_PHONE}"' in clinic
    assert "hard to breathe" not in clinic


def test_the_guide_lists_the_check_ins_still_to_come_in_the_clinics_time(client, session, sent, time_machine):
    session.clinic.time_zone = "Australia/Sydney"
    session.clinic.save()
    time_machine.move_to(at(days=1, hours=1), tick=False)
    tasks.send_due_check_ins()

    page = client.get(link_of(session)).content.decode()

    # 10:00 in London is 21:00 in Sydney; the first check-in has gone.
    assert "Tuesday 3 March at 21:00" not in page
    for moment in ["Wednesday 4 March at 21:00", "Friday 6 March at 21:00", "Monday 9 March at 21:00"]:
        assert moment in page
    assert "Monday 16 March at 21:00" in page


def test_the_guide_says_so_when_no_check_in_is_left(client, session, sent):
    session.check_ins.update(status=CheckInStatus.ANSWERED, answered_at=timezone.now())

    page = client.get(link_of(session)).content.decode()

    assert "No more check-ins are planned." in page


def test_the_guide_shows_nothing_only_staff_read(client, session, sent):
    page = client.get(link_of(session)).content.decode()

    for staff_only in ["Hydra Boost", "HB-001", "anxious", "jawline", "Nappage", session.practitioner.first_name]:
        assert staff_only not in page
    assert "Hannah" not in page


def test_the_guide_page_reads_a_bounded_number_of_queries(client, session, sent, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(link_of(session)).status_code == 200


# The link


def test_a_tampered_guide_link_is_refused(client, session, sent):
    url = link_of(session)
    tampered = url[:-3] + ("a" if url[-3] != "a" else "b") + url[-2:]

    response = client.get(tampered)

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert "Redness" not in response.content.decode()


def test_a_guide_cannot_be_opened_under_another_clinics_address(client, session, sent, riverside):
    token = link_of(session).rstrip("/").rsplit("/", 1)[1]

    response = client.get(reverse("checkins:guide", args=[riverside.pk, token]))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()


def test_a_check_in_link_does_not_open_a_guide_nor_a_guide_link_a_check_in(client, session, sent):
    check_in = session.check_ins.first()
    check_in_token = check_ins.link_path(check_in).rstrip("/").rsplit("/", 1)[1]
    guide_token = link_of(session).rstrip("/").rsplit("/", 1)[1]

    assert client.get(reverse("checkins:guide", args=[session.clinic_id, check_in_token])).status_code == 400
    assert client.get(reverse("checkins:check_in", args=[session.clinic_id, guide_token])).status_code == 400


def test_a_guide_that_never_left_has_no_link_to_open(client, session):
    GuideMessage.objects.create(session=session)

    assert client.get(link_of(session)).status_code == 400


def test_the_guide_stays_open_until_the_last_check_in_has_had_its_time(client, session, sent, time_machine):
    last_check_in = session.check_ins.order_by("due_at").last().due_at
    closes = last_check_in + check_ins.link_lifetime()

    time_machine.move_to(closes, tick=False)
    assert "Your recovery guide" in client.get(link_of(session)).content.decode()

    time_machine.move_to(closes + timedelta(seconds=1), tick=False)
    response = client.get(link_of(session))
    page = response.content.decode()
    assert "This recovery guide has closed" in page
    assert f'href="tel:{CLINIC_PHONE}"' in page
    assert "Redness" not in page


def test_without_check_ins_the_guide_stays_open_through_the_longest_window(harbour, alice, client, time_machine):
    harbour.check_in_days = []
    harbour.save()
    time_machine.move_to(at(minutes=30), tick=False)
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice, performed_at=SESSION_AT)
    guides.guide_send(guide_message_id=schedule.guide_plan(session=session).pk, base_url="https://x")
    closes = at(days=14) + check_ins.link_lifetime()

    time_machine.move_to(closes, tick=False)
    assert client.get(link_of(session)).status_code == 200
    time_machine.move_to(closes + timedelta(seconds=1), tick=False)
    assert "This recovery guide has closed" in client.get(link_of(session)).content.decode()


def test_a_guide_sent_again_after_it_closed_opens_again_for_a_links_lifetime(
    client_for, alice, client, session, sent, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(days=40), tick=False)
    assert "This recovery guide has closed" in client.get(link_of(session)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(reverse("checkins:guide_send", args=[session.pk]))
    client.logout()

    assert "Your recovery guide" in client.get(link_of(session)).content.decode()
    time_machine.move_to(at(days=40) + check_ins.link_lifetime() + timedelta(seconds=1), tick=False)
    assert "This recovery guide has closed" in client.get(link_of(session)).content.decode()


def test_a_guide_already_delivered_stays_readable_after_consent_to_messages_is_withdrawn(client, session, sent):
    session.patient.consents_to_check_ins = False
    session.patient.save()

    assert "Your recovery guide" in client.get(link_of(session)).content.decode()


def test_the_guide_page_is_read_only(client, session, sent):
    assert client.post(link_of(session), {}).status_code == 405


# Staff


def test_the_session_page_shows_the_guide_was_sent(client_for, alice, session, sent):
    page = client_for(alice).get(session.get_absolute_url()).content.decode()

    [line] = page.split('data-testid="guide-message">')[1:]
    assert "<strong>Sent</strong>" in line
    assert "by e-mail and text" in line
    assert "when the session was logged" in line


def test_staff_send_the_guide_again_as_a_new_message_to_the_same_page(
    client_for, alice, session, sent, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(hours=6), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("checkins:guide_send", args=[session.pk]), follow=True)

    again = GuideMessage.objects.get(requested_by=alice)
    assert again.status == GuideStatus.SENT
    first_email, email_again = mail.outbox
    assert first_email.message()["Message-ID"] != email_again.message()["Message-ID"]
    # The same page, by the same short link.
    assert f"https://clinic.example.com/g/{sent.code}\n" in first_email.body
    assert f"https://clinic.example.com/g/{sent.code}\n" in email_again.body
    page = response.content.decode()
    assert "The recovery guide is on its way to the patient again." in page
    assert "sent again by Alice" in page


def test_two_taps_on_send_again_send_one_guide(client_for, alice, session, sent, time_machine):
    time_machine.move_to(at(hours=6), tick=False)
    staff = client_for(alice)
    staff.post(reverse("checkins:guide_send", args=[session.pk]))
    time_machine.move_to(at(hours=6) + timedelta(seconds=2), tick=False)

    response = staff.post(reverse("checkins:guide_send", args=[session.pk]), follow=True)

    assert GuideMessage.objects.filter(session=session).count() == 2
    assert "The guide was sent to the patient a few minutes ago." in response.content.decode()


def test_send_again_is_refused_without_consent_and_nothing_is_sent(client_for, alice, harbour, time_machine):
    patient = PatientFactory(clinic=harbour, consents_to_check_ins=False)
    session = TreatmentSessionFactory(patient=patient, practitioner=alice)

    response = client_for(alice).post(reverse("checkins:guide_send", args=[session.pk]), follow=True)

    assert "The patient has not consented to check-in messages." in response.content.decode()
    assert not GuideMessage.objects.exists()
    assert mail.outbox == []


def test_staff_of_another_clinic_cannot_send_a_guide(client_for, bob, session, sent):
    response = client_for(bob).post(reverse("checkins:guide_send", args=[session.pk]))

    assert response.status_code == 404
    assert GuideMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_guides_text_is_one_segment_and_its_short_link_leads_to_the_page(client, session, sent, time_machine):
    [text] = MemoryBackend.outbox

    response = client.get(f"/g/{sent.code}")

    assert segments(text["body"]) == 1
    assert response.status_code == 302
    assert response["Location"] == link_of(session)
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/g/{altered(sent.code)}").status_code == 400
