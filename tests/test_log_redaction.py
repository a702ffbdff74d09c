"""No log line holds a check-in or guide link's token or a patient's phone number, whoever writes it."""

import io
import logging
from datetime import timedelta

import pytest
from django.core import signing
from django.core.mail import EmailMessage
from django.utils import timezone

from checkins import guides
from checkins import services as check_ins
from clinic.redaction import RedactingConsoleEmailBackend, RedactingFilter
from recovery.models import CheckIn, GuideMessage

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
    assert client.get(check_ins.link_path(check_in) + "nowhere/").status_code == 404

    logged = log_output.getvalue()
    assert "Not Found: /check-in/" in logged
    assert token_of(check_in) not in logged


def test_a_tampered_guide_link_is_logged_as_a_bad_request_without_its_token(client, check_in, log_output):
    link = guides.link_path(check_in.session)
    GuideMessage.objects.create(session=check_in.session, emailed_at=timezone.now())

    assert client.get(link[:-3] + "xx/").status_code == 400

    logged = log_output.getvalue()
    assert f"Bad Request: /guide/{check_in.session.clinic_id}/[hidden]/" in logged
    assert link.rstrip("/").rsplit("/", 1)[1][:40] not in logged


def test_whatever_follows_a_guide_links_clinic_is_hidden(log_output):
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 400 812', "/guide/harbour/Zm9vYmFyYmF6/")

    logged = log_output.getvalue()
    assert "/guide/harbour/[hidden]/" in logged
    assert "Zm9vYmFyYmF6" not in logged


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
    "number",
    [
        "+44 7400 900111",
        "+447400900111",
        "07400 900111",
        "(+33) 6 12 34 56 78",
        "06 12 34 56 78",
        "06 12345678",
        "0033 6 12 34 56 78",
        "0044 7400 900111",
        "%2B447400900111",
        "7400900111",
        "(415) 555-0123",
        "PhoneNumber(country_code=44, national_number=7400900111)",
    ],
)
def test_phone_numbers_are_hidden_however_they_are_written(number, log_output):
    logging.getLogger("recovery").warning("calling %s now", number)

    logged = log_output.getvalue().split(": ", 1)[1]
    assert "[hidden]" in logged
    assert not any(digits in logged for digits in ("900111", "56 78", "0123"))


@pytest.mark.parametrize(
    "line",
    [
        "Check-in 0f8e1c2a-1b2c-4d5e-8f90-123456789012 sent on 2026-11-29 at 09:15:00 in 0.25 s",
        "Task recovery.tasks.send_check_in[a4d9331a-2d65-47f3-852f-1bf2697286f5] succeeded in 0.054999s: True",
        '"GET /static/css/app.css HTTP/1.1" 200 5120',
        "Sweep: 1204 recoveries, 12 transitions in 0.10 s; 3 e-mails waiting since 01/12/2026 09:30",
        "Connected to redis://127.0.0.1:6379/0",
    ],
)
def test_ordinary_lines_are_left_as_they_are(line, log_output):
    logging.getLogger("recovery").warning(line)

    assert log_output.getvalue().rstrip("\n").endswith(": " + line)


def test_a_log_call_whose_arguments_do_not_fit_is_still_written_and_hidden(log_output):
    logging.getLogger("recovery").warning("texting %s about %s", "+447400900111")

    logged = log_output.getvalue()
    assert "texting %s about %s" in logged
    assert "7400900111" not in logged


def test_the_console_email_backend_prints_the_message_with_the_link_hidden(check_in, capsys):
    link = f"https://clinic.example.com{check_ins.link_path(check_in)}"
    message = EmailMessage(
        subject="Harbour: how are you?", body=f"Tell us: {link}\nOr call +447400900111", to=["a@b.c"]
    )

    RedactingConsoleEmailBackend().send_messages([message])

    printed = capsys.readouterr().out
    assert "Tell us: https://clinic.example.com/check-in/" in printed
    assert token_of(check_in) not in printed
    assert "7400900111" not in printed


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


def test_a_short_links_code_is_hidden(log_output):
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', "/c/AbCdEf123456")
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', "/g/ZyXwVu987654")

    logged = log_output.getvalue()
    assert "/c/[hidden]" in logged
    assert "/g/[hidden]" in logged
    assert "AbCdEf123456" not in logged
    assert "ZyXwVu987654" not in logged
