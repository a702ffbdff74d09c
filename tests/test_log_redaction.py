"""No log line holds a check-in link's token or a patient's phone number, whoever writes it."""

import io
import logging
from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from clinic.redaction import RedactingFilter
from recovery import check_ins
from recovery.models import CheckIn

from .factories import PatientFactory, TreatmentSessionFactory
from .text_messages import MemoryBackend


@pytest.fixture
def log_output():
    """What the project's log handler writes, as configured in settings.LOGGING."""
    [handler] = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactingFilter) for f in h.filters)]
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


@pytest.fixture
def check_in(harbour, alice):
    patient = PatientFactory(clinic=harbour, phone="+447400900111")
    session = TreatmentSessionFactory(patient=patient, practitioner=alice)
    return CheckIn.objects.create(session=session, due_at=timezone.now() - timedelta(minutes=1))


def token_of(check_in) -> str:
    return check_ins.link_path(check_in).rstrip("/").rsplit("/", 1)[1]


def test_a_tampered_check_in_link_is_logged_as_a_bad_request_without_its_token(client, check_in, log_output):
    tampered = check_ins.link_path(check_in)[:-3] + "xx/"

    assert client.get(tampered).status_code == 400

    logged = log_output.getvalue()
    assert "Bad Request: /check-in/" in logged
    assert token_of(check_in)[:40] not in logged
    assert "[hidden]" in logged


def test_a_check_in_link_that_leads_nowhere_is_logged_as_not_found_without_its_token(client, check_in, log_output):
    assert client.get(check_ins.link_path(check_in) + "photos/").status_code == 404

    logged = log_output.getvalue()
    assert "Not Found: /check-in/" in logged
    assert token_of(check_in) not in logged


def test_a_text_that_fails_is_logged_without_the_patients_number(check_in, log_output, monkeypatch):
    def fail(self, *, to, body, idempotency_key):
        raise OSError(f"could not reach {to} with {body}")

    monkeypatch.setattr(MemoryBackend, "send", fail)

    check_ins.check_in_send(check_in_id=check_in.pk, base_url="https://clinic.example.com")

    logged = log_output.getvalue()
    assert "the text message could not be sent" in logged
    assert "could not reach [hidden]" in logged
    assert "7400900111" not in logged
    assert token_of(check_in) not in logged


@pytest.mark.parametrize(
    "line",
    [
        "calling +44 7400 900111 now",
        "calling +447400900111 now",
        "calling 07400 900111 now",
        "calling (+33) 6 12 34 56 78 now",
    ],
)
def test_phone_numbers_are_hidden_however_they_are_written(line, log_output):
    logging.getLogger("recovery").warning(line)

    logged = log_output.getvalue()
    assert "[hidden]" in logged
    assert not any(character.isdigit() for character in logged)


def test_ids_dates_and_times_are_left_as_they_are(log_output):
    line = "Check-in 0f8e1c2a-1b2c-4d5e-8f90-123456789012 sent on 2026-11-29 at 09:15:00 in 0.25 s"

    logging.getLogger("recovery").warning(line)

    assert log_output.getvalue().strip() == line


def test_the_development_servers_request_lines_hide_the_token(check_in, log_output):
    link = check_ins.link_path(check_in)

    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 5120', link)

    logged = log_output.getvalue()
    assert f"/check-in/{check_in.session.clinic_id}/[hidden]/" in logged
    assert token_of(check_in) not in logged


def test_a_refused_link_logged_with_its_traceback_shows_no_part_of_the_token(check_in, log_output):
    token = token_of(check_in)
    try:
        check_ins.check_in_from_link(clinic_id=check_in.session.clinic_id, token=token[:-1] + "x")
    except check_ins.InvalidLink:
        logging.getLogger("recovery").exception("A link was refused")
    try:
        signing.loads(token[:-1] + "x", salt=check_ins.LINK_SALT)
    except signing.BadSignature:
        logging.getLogger("recovery").exception("A signature was refused")

    logged = log_output.getvalue()
    assert "A link was refused" in logged
    assert 'Signature "[hidden]" does not match' in logged
    for part in token.split(":"):
        assert part[:-1] not in logged
