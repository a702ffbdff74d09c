"""/health/: what the load balancer and the monitor ask, answered from the real services."""

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from checkins import services as check_ins
from messaging.health import beat_seen
from messaging.models import Heartbeat
from photos.models import PhotoUpload
from recovery import notifications
from recovery.models import CheckIn, GuideMessage, Notification, NotificationKind

from .factories import PatientFactory, TreatmentSessionFactory
from .services import service_missing
from .smtp import SmtpServer

HEALTH = reverse("health")
# The checks run in threads of their own, on connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(settings):
    """The shared Redis as the broker; CI requires it."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        service_missing("Redis is not running on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"


def health(client):
    # The view is async; a browser test earlier in this worker may leave an event loop running in
    # the main thread, where the test client cannot wait for it. A thread of its own has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(client.get, HEALTH, {"format": "json"}).result()
    return response.status_code, response.json()


def failing(results):
    return {check: status for check, status in results.items() if status != "OK"}


def test_a_healthy_instance_answers_200_without_a_login(client, broker, db):
    beat_seen()

    status, results = health(client)

    assert (status, failing(results)) == (200, {})
    assert any(check.startswith("Database") for check in results)
    assert any(check.startswith("Broker") for check in results)


def test_a_broker_that_does_not_answer_fails_the_check(client, settings, db):
    beat_seen()
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        dead_port = spare.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{dead_port}/0"

    status, results = health(client)

    assert status == 500
    assert list(failing(results).values()) == ["Unavailable: The Celery broker does not answer."]


def test_beat_that_never_ran_or_stopped_fails_the_check(client, broker, time_machine, db):
    status, results = health(client)
    assert status == 500
    assert "Beat has never run" in " ".join(failing(results).values())

    beat_seen()
    time_machine.move_to(timezone.now() + timedelta(minutes=6), tick=False)

    status, results = health(client)
    assert status == 500
    assert "Beat last ran the minute's tasks 360 s ago" in " ".join(failing(results).values())


def test_an_email_waiting_too_long_in_the_outbox_fails_the_check(client, broker, harbour, alice, time_machine):
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice)
    Notification.objects.create(
        recipient=alice, recovery=session.recovery, kind=NotificationKind.RED_FLAG, event_key="x"
    )
    time_machine.move_to(timezone.now() + timedelta(minutes=16), tick=False)
    beat_seen()

    status, results = health(client)

    assert status == 500
    assert "A message has waited 16 min to be sent." in " ".join(failing(results).values())
    assert "Red flag" not in str(results)


def test_a_guide_waiting_too_long_to_be_sent_fails_the_check(client, broker, harbour, alice, time_machine):
    GuideMessage.objects.create(
        session=TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice)
    )
    time_machine.move_to(timezone.now() + timedelta(minutes=20), tick=False)
    beat_seen()

    status, results = health(client)

    assert status == 500
    assert "A message has waited 20 min to be sent." in " ".join(failing(results).values())


def test_a_photo_waiting_too_long_for_a_worker_fails_the_check(client, broker, harbour, alice, time_machine):
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, areas=["face"])
    PhotoUpload.objects.create(session=session, source="session", area="face", added_by=alice, raw_name="uploads/x")
    time_machine.move_to(timezone.now() + timedelta(minutes=16), tick=False)
    beat_seen()

    status, results = health(client)

    assert status == 500
    assert "A photo has waited 16 min to be processed." in " ".join(failing(results).values())


def test_the_minute_task_records_that_beat_ran(db):
    from checkins import tasks

    tasks.send_due_check_ins()

    assert Heartbeat.objects.get(name="beat").beat_at > timezone.now() - timedelta(seconds=5)


def test_a_check_in_given_up_fails_the_check_for_an_hour(client, broker, harbour, alice, time_machine):
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour, email="", phone=""), practitioner=alice)
    check_in = CheckIn.objects.create(session=session, due_at=timezone.now())
    check_ins.check_in_send(check_in_id=check_in.pk, base_url="https://clinic.example.com")
    beat_seen()

    status, results = health(client)
    assert status == 500
    assert "Given up in the last hour: check-in." in " ".join(failing(results).values())
    assert str(session.patient) not in str(results)

    time_machine.move_to(timezone.now() + timedelta(minutes=61), tick=False)
    beat_seen()
    assert health(client)[0] == 200


def test_the_check_fails_while_the_mail_server_is_hung_and_passes_once_it_answers(
    client, broker, harbour, alice, settings, time_machine
):
    session = TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice)

    def staff_email():
        event = Notification.objects.count()
        notification = Notification.objects.create(
            recipient=alice, recovery=session.recovery, kind="red_flag", event_key=f"event {event}"
        )
        return notifications.notification_email(notification_id=notification.pk, base_url="https://x")

    with SmtpServer() as smtp:
        smtp.use(settings)
        smtp.stall = True
        staff_email()
        beat_seen()
        status, results = health(client)
        assert status == 500
        assert "The mail server did not answer at" in " ".join(failing(results).values())

        # Still hung half an hour later: still red.
        time_machine.move_to(timezone.now() + timedelta(minutes=30), tick=False)
        staff_email()
        beat_seen()
        assert health(client)[0] == 500

        smtp.stall = False
        assert staff_email() is True
        assert health(client)[0] == 200
    assert len(smtp.messages) == 3


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_load_balancer_polling_health_leaves_no_database_connection_open(client):
    if connection.vendor != "postgresql":
        service_missing("counting the database's clients needs PostgreSQL (set DATABASE_URL)")

    def clients() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    before = clients()
    # From a thread of its own, as gunicorn's would be: the browser tests leave an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as requests:
        for _ in range(15):
            requests.submit(client.get, "/health/").result()

    # A closed connection's server process leaves pg_stat_activity a moment after the client hangs
    # up: wait for PostgreSQL to reap them (a leaked one never goes) rather than count too soon.
    settled = time.monotonic() + 5
    while clients() > before + 1 and time.monotonic() < settled:
        time.sleep(0.05)
    assert clients() <= before + 1
