"""A real Celery worker against a real Redis and the test database (PostgreSQL).

Tasks elsewhere run in-process; here the worker is a separate process, as in
production, and a Redis of our own is stopped to prove nothing is lost. Workers
are killed half-way through a send to show what delivery really is: at least
once, with a repeat the mail server and the text provider can recognise.
"""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
from aiosmtpd.controller import Controller
from django.core.files.storage import storages
from django.db import connection
from django.utils import timezone

from checkins import services as check_ins
from clinic.celery import app as celery_app
from patients.models import Patient
from photos.models import Photo, PhotoUpload, UploadState
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionReport

from . import images as pictures
from .factories import PatientFactory, TreatmentSessionFactory
from .services import service_missing
from .text_messages import Provider

PROJECT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, seconds=40, what="the worker"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"Timed out waiting for {what}")


class Redis:
    """A redis-server of this test's own, on a spare port, that the test may stop."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, seconds=10, what="redis-server")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def real_services(tmp_path):
    if connection.vendor != "postgresql":
        service_missing("a real worker shares the test database, which needs PostgreSQL (set DATABASE_URL)")
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    redis = Redis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
def worker_env(real_services, tmp_path):
    settings = connection.settings_dict
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}",
        "CELERY_BROKER_URL": real_services.url,
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "SITE_URL": "https://clinic.example.com",
        # The relay would otherwise leave just-written rows to the commit that wrote them.
        "RELAY_GRACE_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    return env, mail_dir


@pytest.fixture
def start_worker(worker_env):
    env, _mail_dir = worker_env
    workers = []

    def start(log=None, **overrides):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "clinic",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=PROJECT,
            env={**env, **overrides},
            stdout=log.open("a") if log else subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def publish_to(worker_env):
    """Point this process's Celery at the test's own broker, publishing for real."""
    env, _ = worker_env
    broker_url = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = env["CELERY_BROKER_URL"]
    # The app keeps the connection pool it made first, for the shared broker, whatever the URL says
    # now: forget it, as Celery itself does after a fork, so that tasks go to the test's broker.
    celery_app._after_fork()
    yield
    # Even in-process (eager) tasks take a producer from the pools: close the test broker's and
    # forget every pool, so later tests in this process build fresh ones for the URL restored here.
    kombu.pools.reset()
    celery_app.conf.broker_url = broker_url
    celery_app._after_fork()


def call_task(env, name):
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "clinic", "call", name],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def mails(mail_dir) -> list[str]:
    return [path.read_text() for path in sorted(mail_dir.iterdir())]


@pytest.fixture
def due_check_in(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", email="hannah@example.com"),
        practitioner=alice,
        performed_at=timezone.now() - timedelta(days=1, minutes=5),
    )
    CheckIn.objects.create(session=session, due_at=timezone.now() - timedelta(minutes=1))
    return session.check_ins.get()


def test_the_worker_sends_a_due_check_in_once(real_services, worker_env, start_worker, due_check_in):
    env, mail_dir = worker_env
    real_services.start()
    start_worker()

    call_task(env, "checkins.tasks.send_due_check_ins")
    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.SENT, what="the check-in")
    time.sleep(2)

    sent = [m for m in mails(mail_dir) if "hannah@example.com" in m]
    assert len(sent) == 1
    assert "how are you feeling?" in sent[0]


def test_a_report_sent_while_redis_is_down_is_kept_and_its_notification_arrives_later(
    client, real_services, worker_env, start_worker, publish_to, due_check_in, mary
):
    env, mail_dir = worker_env
    CheckIn.objects.filter(pk=due_check_in.pk).update(status=CheckInStatus.SENT, sent_at=timezone.now())
    fever = due_check_in.session.clinic.red_flag_questions.get(code="fever")
    answers = {f"reaction_{t.code}": "0" for t in due_check_in.session.clinic.reaction_types.all()}
    answers.update({f"flag_{q.code}": "no" for q in due_check_in.session.clinic.red_flag_questions.all()})
    answers[f"flag_{fever.code}"] = "yes"

    assert not real_services.answers()
    response = client.post(check_ins.link_path(due_check_in), answers)

    assert response.status_code == 302
    assert ReactionReport.objects.filter(session=due_check_in.session).count() == 1
    pending = Notification.objects.filter(kind="red_flag")
    assert pending.count() == 2
    assert all(n.emailed_at is None for n in pending)

    real_services.start()
    start_worker()
    call_task(env, "recovery.tasks.relay_notification_emails")
    wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), what="the notifications")

    def staff_mail():
        return [m for m in mails(mail_dir) if "needs your attention" in m]

    wait_for(lambda: len(staff_mail()) == 2, what="both staff e-mails")
    call_task(env, "recovery.tasks.relay_notification_emails")
    time.sleep(2)
    assert len(staff_mail()) == 2
    assert "Please call the clinic now" in client.get(check_ins.link_path(due_check_in)).content.decode()


def test_the_sweep_run_twice_by_the_worker_notifies_once(real_services, worker_env, start_worker, due_check_in):
    env, _mail_dir = worker_env
    CheckIn.objects.filter(pk=due_check_in.pk).update(
        status=CheckInStatus.SENT, sent_at=timezone.now() - timedelta(days=2), due_at=timezone.now() - timedelta(days=2)
    )
    real_services.start()
    start_worker()

    call_task(env, "checkins.tasks.sweep_recoveries")
    call_task(env, "checkins.tasks.sweep_recoveries")
    wait_for(lambda: Notification.objects.filter(kind="missed_check_in").exists(), what="the sweep")
    call_task(env, "recovery.tasks.relay_notification_emails")
    wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists(), what="the e-mails")
    time.sleep(2)

    assert Notification.objects.filter(kind="missed_check_in").count() == 1
    assert CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.MISSED


@pytest.fixture
def silent_smtp_server():
    """An SMTP server that accepts connections and never answers: a send hangs half-way."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    yield server.getsockname()[1]
    server.close()


def test_a_worker_killed_while_sending_neither_loses_nor_repeats_the_notification(
    real_services, worker_env, start_worker, due_check_in, silent_smtp_server
):
    env, mail_dir = worker_env
    real_services.start()
    session = due_check_in.session
    notification = Notification.objects.create(
        recipient=session.practitioner, recovery=session.recovery, kind="red_flag", event_key="test"
    )
    hanging = start_worker(
        EMAIL_URL=f"smtp://127.0.0.1:{silent_smtp_server}", EMAIL_TIMEOUT="60", CLAIM_LEASE_SECONDS="3"
    )
    call_task(env, "recovery.tasks.relay_notification_emails")
    wait_for(lambda: Notification.objects.get(pk=notification.pk).email_attempts == 1, what="the claim")

    hanging.kill()
    hanging.wait(timeout=10)

    notification.refresh_from_db()
    assert notification.emailed_at is None
    time.sleep(3.5)
    start_worker(CLAIM_LEASE_SECONDS="3")
    call_task(env, "recovery.tasks.relay_notification_emails")
    wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None, what="the e-mail")
    call_task(env, "recovery.tasks.relay_notification_emails")
    time.sleep(2)

    assert len([m for m in mails(mail_dir) if "needs your attention" in m]) == 1
    assert Notification.objects.get(pk=notification.pk).email_attempts == 2


class AcceptingSmtpServer:
    """A real SMTP server (aiosmtpd) that keeps every message it accepts; `kill_on_quit` is a worker
    it kills when that worker says QUIT, that is after the server answered 250 to its message and
    before the worker could record the e-mail as sent."""

    def __init__(self):
        self.messages: list[str] = []
        self.kill_on_quit = None
        self.stall = False
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode())
        if self.stall:
            # Took the message whole and never answers: the worker's send times out.
            await asyncio.Event().wait()
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.kill_on_quit is not None:
            self.kill_on_quit.kill()
            self.kill_on_quit.wait(timeout=10)
        return "221 Bye"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def message_ids(self) -> list[str]:
        return [
            line.split(":", 1)[1].strip()
            for m in self.messages
            for line in m.splitlines()
            if line.startswith("Message-ID:")
        ]


@pytest.fixture
def messaging(tmp_path):
    """The mail server and the text provider a worker talks to, both real servers on 127.0.0.1."""
    with AcceptingSmtpServer() as smtp, Provider() as provider:
        overrides = {
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.controller.port}",
            "TEXT_MESSAGE_BACKEND": "messaging.text_messages.TelnyxBackend",
            "TEXT_MESSAGE_API_URL": provider.url,
            "TEXT_MESSAGE_API_KEY": "test-key",
            "TEXT_MESSAGE_SENDER": "+447400000001",
        }
        yield smtp, provider, overrides


def lease_lapses(check_in):
    """The claim the killed worker held runs out (CLAIM_LEASE_SECONDS later, in production)."""
    CheckIn.objects.filter(pk=check_in.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))


def test_a_worker_killed_after_the_mail_server_accepted_a_check_in_sends_it_again_with_the_same_message_id(
    real_services, worker_env, start_worker, due_check_in, messaging
):
    env, _mail_dir = worker_env
    smtp, provider, overrides = messaging
    real_services.start()
    first = start_worker(**overrides)
    smtp.kill_on_quit = first

    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: first.poll() is not None, what="the worker to be killed")

    # The mail server has the e-mail; the app does not know it went.
    interrupted = CheckIn.objects.get(pk=due_check_in.pk)
    assert (interrupted.status, interrupted.emailed_at, interrupted.texted_at) == (CheckInStatus.SENDING, None, None)
    assert len(smtp.messages) == 1

    smtp.kill_on_quit = None
    lease_lapses(due_check_in)
    start_worker(**overrides)
    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.SENT, what="the check-in")

    # At least once: the patient's mailbox receives it twice, as one message.
    assert smtp.message_ids() == [f"<check-in.{due_check_in.pk}@clinic.example.com>"] * 2
    assert [r["headers"]["Idempotency-Key"] for r in provider.requests] == [f"check-in:{due_check_in.pk}"]
    assert CheckIn.objects.get(pk=due_check_in.pk).send_attempts == 2


def test_a_worker_killed_after_the_provider_took_a_text_sends_it_again_with_the_same_idempotency_key(
    real_services, worker_env, start_worker, due_check_in, messaging
):
    env, _mail_dir = worker_env
    smtp, provider, overrides = messaging
    real_services.start()
    first = start_worker(**overrides)
    provider.on_request = first.kill

    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: first.poll() is not None, what="the worker to be killed")

    interrupted = CheckIn.objects.get(pk=due_check_in.pk)
    assert interrupted.emailed_at is not None
    assert (interrupted.status, interrupted.texted_at) == (CheckInStatus.SENDING, None)

    provider.on_request = None
    lease_lapses(due_check_in)
    start_worker(**overrides)
    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.SENT, what="the check-in")

    # The provider is asked twice with one key and one text, so it texts the patient once; the e-mail
    # is not repeated.
    assert [r["headers"]["Idempotency-Key"] for r in provider.requests] == [f"check-in:{due_check_in.pk}"] * 2
    assert provider.requests[0]["json"] == provider.requests[1]["json"]
    assert len(provider.delivered) == 1
    assert len(smtp.messages) == 1


def test_the_workers_console_shows_the_check_in_it_sends_with_the_link_and_the_number_hidden(
    real_services, worker_env, start_worker, due_check_in, tmp_path
):
    env, _mail_dir = worker_env
    real_services.start()
    log = tmp_path / "worker.log"
    start_worker(log=log, EMAIL_URL="consolemail://", TEXT_MESSAGE_BACKEND="messaging.text_messages.ConsoleBackend")

    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.SENT, what="the check-in")

    printed = log.read_text()
    assert printed.count("https://clinic.example.com/c/[hidden]") == 2
    assert CheckIn.objects.get(pk=due_check_in.pk).code not in printed
    assert "7400123456" not in printed
    assert "INFO celery" in printed


def test_a_worker_killed_while_decoding_a_photo_loses_no_answer_and_the_next_worker_keeps_the_photo(
    client, real_services, worker_env, start_worker, publish_to, due_check_in
):
    env, _mail_dir = worker_env
    photos_folder = {"PHOTO_ROOT": str(storages["photos"].location)}
    Patient.objects.filter(pk=due_check_in.session.patient_id).update(
        consents_to_photos=True, photo_consent_on=timezone.localdate()
    )
    CheckIn.objects.filter(pk=due_check_in.pk).update(status=CheckInStatus.SENT, sent_at=timezone.now())
    link = check_ins.link_path(due_check_in)
    fever = due_check_in.session.clinic.red_flag_questions.get(code="fever")
    answers = {f"reaction_{t.code}": "0" for t in due_check_in.session.clinic.reaction_types.all()}
    answers.update({f"flag_{q.code}": "no" for q in due_check_in.session.clinic.red_flag_questions.all()})
    answers.update({f"flag_{fever.code}": "yes", "wants_call": "on"})
    real_services.start()
    decoding = start_worker(CLAIM_LEASE_SECONDS="3", **photos_folder)

    assert client.post(link, answers).status_code == 302
    # 49 megapixels of PNG: a second or more of decoding, in which the worker is killed.
    assert client.post(link + "photos/", {"photos-photo_1": pictures.large_png()}).status_code == 302
    deadline = time.monotonic() + 40
    while not PhotoUpload.objects.filter(attempts=1).exists():
        assert time.monotonic() < deadline, "the worker never took the photo"
        time.sleep(0.02)
    decoding.kill()
    decoding.wait(timeout=10)

    report = ReactionReport.objects.get()
    assert report.wants_call
    assert report.red_flag_answers.get(question=fever).present
    upload = PhotoUpload.objects.get()
    assert (upload.state, upload.photo) == (UploadState.PENDING, None)
    assert storages["photos"].exists(upload.raw_name)
    page = client.get(link).content.decode()
    assert "Please call the clinic now" in page
    assert "1 photo is being processed." in page

    time.sleep(3.5)
    start_worker(**photos_folder)
    call_task(env, "photos.tasks.relay_photo_uploads")
    wait_for(lambda: PhotoUpload.objects.get().state == UploadState.KEPT, what="the photo")
    wait_for(lambda: not storages["photos"].exists(upload.raw_name), what="the file as sent to go")

    assert Photo.objects.get().report == report
    assert PhotoUpload.objects.get().attempts == 2
    assert "1 photo sent to the clinic." in client.get(link).content.decode()


def test_a_mail_server_that_takes_the_check_in_and_hangs_gets_one_copy_however_often_beat_runs(
    real_services, worker_env, start_worker, due_check_in, messaging
):
    env, _mail_dir = worker_env
    smtp, provider, overrides = messaging
    smtp.stall = True
    real_services.start()
    start_worker(**overrides, EMAIL_TIMEOUT="2")

    call_task(env, "checkins.tasks.send_due_check_ins")
    wait_for(lambda: CheckIn.objects.get(pk=due_check_in.pk).status == CheckInStatus.SENT, what="the check-in")
    for _ in range(3):
        call_task(env, "checkins.tasks.send_due_check_ins")
    time.sleep(2)

    check_in = CheckIn.objects.get(pk=due_check_in.pk)
    assert (check_in.email_result, check_in.text_result, check_in.send_attempts) == ("unconfirmed", "sent", 1)
    assert len(smtp.messages) == 1
    assert len(provider.requests) == 1
