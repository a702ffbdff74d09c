"""Check-in texts through the provider's HTTP API, played by a real server on 127.0.0.1."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from checkins import services as check_ins
from messaging.text_messages import ConsoleBackend
from patients.models import Patient
from recovery.models import CheckIn, CheckInStatus
from tests.text_messages import Provider

from ..factories import PatientFactory, TreatmentSessionFactory

SITE = "https://clinic.example.com"


@pytest.fixture
def provider(settings):
    with Provider() as provider:
        settings.TEXT_MESSAGE_BACKEND = "messaging.text_messages.TelnyxBackend"
        settings.TEXT_MESSAGE_API_URL = provider.url
        settings.TEXT_MESSAGE_API_KEY = "test-key-123"
        settings.TEXT_MESSAGE_SENDER = "+447400000001"
        settings.TEXT_MESSAGE_TIMEOUT_SECONDS = 0.5
        yield provider


@pytest.fixture
def due(harbour, alice, time_machine):
    """Hannah's first check-in, due a minute ago, in the clinic's working day (a retry never falls in
    its night, so the time of day the suite runs at must not decide); she gave her mobile and her e-mail."""
    time_machine.move_to(datetime(2026, 3, 3, 11, 0, tzinfo=UTC), tick=False)
    patient = PatientFactory(clinic=harbour, first_name="Hannah", phone="+447400900111", email="hannah@example.com")
    session = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=timezone.now() - timedelta(days=1, minutes=5)
    )
    return CheckIn.objects.create(session=session, due_at=timezone.now() - timedelta(minutes=1))


def send(check_in) -> bool:
    return check_ins.check_in_send(check_in_id=check_in.pk, base_url=SITE)


def test_a_check_in_is_texted_through_the_provider_with_its_idempotency_key(provider, due):
    assert send(due) is True

    [request] = provider.requests
    assert request["path"] == "/v2/messages"
    assert request["headers"]["Authorization"] == "Bearer test-key-123"
    assert request["headers"]["Idempotency-Key"] == f"check-in:{due.pk}"
    assert request["json"]["to"] == "+447400900111"
    assert request["json"]["from"] == "+447400000001"
    assert (
        request["json"]["text"] == f"Harbour Skin Clinic: how are you feeling after your treatment? {SITE}/c/{due.code}"
    )
    assert CheckIn.objects.get(pk=due.pk).texted_at is not None


def test_a_refused_text_is_tried_again_with_the_same_key_and_the_email_is_not_repeated(provider, due, time_machine):
    provider.status = 503

    assert send(due) is False
    refused = CheckIn.objects.get(pk=due.pk)
    assert (refused.status, refused.texted_at) == (CheckInStatus.PLANNED, None)
    assert len(mail.outbox) == 1

    provider.status = 200
    assert send(due) is False
    time_machine.move_to(refused.retry_at, tick=False)
    assert send(due) is True

    assert [r["headers"]["Idempotency-Key"] for r in provider.requests] == [f"check-in:{due.pk}"] * 2
    assert len(mail.outbox) == 1
    assert CheckIn.objects.get(pk=due.pk).status == CheckInStatus.SENT


def test_a_provider_that_takes_the_text_and_answers_too_late_is_not_asked_again(provider, due, time_machine):
    provider.hold.set()

    assert send(due) is True
    provider.hold.clear()
    time_machine.move_to(timezone.now() + timedelta(hours=1), tick=False)
    assert send(due) is False

    possibly = CheckIn.objects.get(pk=due.pk)
    assert (possibly.status, possibly.text_result, possibly.possibly_sent) == (CheckInStatus.SENT, "unconfirmed", False)
    assert possibly.texted_at is not None
    assert len(provider.requests) == 1
    assert len(mail.outbox) == 1


def test_a_landline_kept_from_before_is_not_texted_and_the_check_in_still_goes_by_email(provider, due, caplog):
    Patient.objects.filter(pk=due.session.patient_id).update(phone="+442079460000")

    assert send(due) is True

    assert provider.requests == []
    assert len(mail.outbox) == 1
    assert "cannot receive texts" in caplog.text
    assert "7946" not in caplog.text


def test_the_console_backend_prints_the_message_with_its_link_and_number_hidden(due):
    token = check_ins.link_path(due).rstrip("/").rsplit("/", 1)[1]
    console = io.StringIO()

    ConsoleBackend(stream=console).send(
        to="+447400900111",
        body=f"Harbour Skin Clinic: how are you? {SITE}{check_ins.link_path(due)}",
        idempotency_key=f"check-in:{due.pk}",
    )

    printed = console.getvalue()
    assert "Harbour Skin Clinic: how are you?" in printed
    assert f"/check-in/{due.session.clinic_id}/[hidden]/" in printed
    assert token not in printed
    assert "7400900" not in printed


def test_a_text_the_provider_refuses_for_good_is_not_tried_again_and_the_email_still_asks(provider, due, caplog):
    provider.status = 401

    assert send(due) is True

    check_in = CheckIn.objects.get(pk=due.pk)
    assert (check_in.status, check_in.texted_at) == (CheckInStatus.SENT, None)
    assert len(mail.outbox) == 1
    assert "the text message was refused and is not tried again: 401" in caplog.text


def test_a_check_in_no_channel_can_take_is_marked_failed_at_once_not_sent(provider, due, caplog):
    Patient.objects.filter(pk=due.session.patient_id).update(email="", phone="+442079460000")

    assert send(due) is False

    check_in = CheckIn.objects.get(pk=due.pk)
    assert (check_in.status, check_in.sent_at, check_in.send_attempts) == (CheckInStatus.FAILED, None, 1)
    assert provider.requests == []
    assert mail.outbox == []
    assert "given up after 1 attempts: the number cannot receive texts" in caplog.text
