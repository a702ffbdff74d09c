"""Deliveries to a real receiver on 127.0.0.1, which checks every signature with standardwebhooks."""

import json
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core import mail
from kombu.exceptions import OperationalError
from standardwebhooks import Webhook, WebhookVerificationError

from events.models import DomainEvent, EventKind
from messaging import handoff
from treatments.services import batch_quarantine
from webhooks import sending, services, tasks
from webhooks.models import Attempt, AttemptError, Delivery, DeliveryState, TurnedOff, new_secret

from ..conftest import SESSION_AT
from ..factories import BatchFactory

DAY = timedelta(hours=24)


@pytest.fixture
def quarantine(harbour_batch, mary, django_capture_on_commit_callbacks):
    """Quarantine Harbour's batch now, and let its commit hand the event over as the app does."""

    def run(batch=harbour_batch, by=mary):
        with django_capture_on_commit_callbacks(execute=True):
            batch_quarantine(batch=batch, reason="Three nodules within a week", by=by)
        return DomainEvent.objects.get(subject__batch=str(batch.pk))

    return run


def retry(time_machine, delivery: Delivery) -> Delivery:
    """Travel to the delivery's next attempt and run the minute's relay then."""
    time_machine.move_to(delivery.next_attempt_at, tick=False)
    tasks.relay_webhooks()
    delivery.refresh_from_db()
    return delivery


def test_the_receiver_verifies_every_attempt_and_sees_the_retries_under_one_webhook_id(
    endpoint, receiver, quarantine, time_machine
):
    receiver.answers = [500, 500]

    quarantine()
    delivery = Delivery.objects.get()
    retry(time_machine, delivery)
    retry(time_machine, delivery)

    assert [(r.verified, r.status) for r in receiver.received] == [(True, 500), (True, 500), (True, 200)]
    assert {r.webhook_id for r in receiver.received} == {delivery.webhook_id}
    # Each attempt is signed anew at its own moment: one minute, then two minutes later.
    stamps = [int(r.timestamp) for r in receiver.received]
    assert [b - a for a, b in pairwise(stamps)] == [60, 120]
    assert delivery.state == DeliveryState.DELIVERED
    assert list(delivery.attempt_log.values_list("status_code", "answer")) == [
        (500, "busy, try later"),
        (500, "busy, try later"),
        (200, "ok"),
    ]


def test_a_delivery_altered_on_the_way_fails_verification_and_is_refused(endpoint, receiver, quarantine, time_machine):
    receiver.tampered = 1

    quarantine()
    delivery = retry(time_machine, Delivery.objects.get())

    refused, taken = receiver.received
    assert (refused.verified, refused.status) == (False, 400)
    assert (taken.verified, taken.status) == (True, 200)
    assert refused.webhook_id == taken.webhook_id
    assert json.loads(taken.body)["data"]["status"] == "quarantined"
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempt_log.first().answer == "refused: No matching signature found"


def test_a_signature_holds_only_for_the_bytes_signed_and_the_secret_that_signed_them(endpoint, quarantine):
    quarantine()
    delivery = Delivery.objects.get()
    headers = sending.signed_headers(delivery=delivery, secret=endpoint.secret, at=SESSION_AT)

    assert Webhook(endpoint.secret).verify(delivery.body, headers)["type"] == "batch.quarantined"
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(delivery.body.replace("quarantined", "released"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(delivery.body, headers)


def test_the_waits_double_from_a_minute_up_to_four_hours_and_the_last_try_ends_the_day(
    endpoint, receiver, quarantine, time_machine
):
    receiver.answers = [500] * 20

    quarantine()
    delivery = Delivery.objects.get()
    while delivery.state == DeliveryState.PENDING:
        retry(time_machine, delivery)

    tried = [attempt.at for attempt in delivery.attempt_log.all()]
    waits = [(b - a) / timedelta(minutes=1) for a, b in pairwise(tried)]
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 240, 240, 240, 240, 225]
    assert tried[-1] - tried[0] == DAY
    assert len(receiver.received) == 14
    assert delivery.state == DeliveryState.GIVEN_UP
    assert tasks.relay_webhooks() == 0


def test_an_endpoint_that_answers_nothing_for_a_day_is_turned_off_and_the_managers_told_once(
    endpoint, receiver, quarantine, time_machine, grace, alice
):
    receiver.answers = [503] * 20
    quarantine()
    delivery = Delivery.objects.get()
    while delivery.state == DeliveryState.PENDING:
        retry(time_machine, delivery)

    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == TurnedOff.FAILING
    assert endpoint.disabled_at == SESSION_AT + DAY
    time_machine.move_to(SESSION_AT + DAY + handoff.relay_grace(), tick=False)
    tasks.relay_webhooks()
    tasks.relay_webhooks()
    assert sorted(message.to[0] for message in mail.outbox) == ["grace@example.com", "mary@example.com"]
    assert endpoint.url in mail.outbox[0].body
    assert f"https://clinic.example.com/webhooks/{endpoint.pk}/" in mail.outbox[0].body
    # Turned off, it is sent nothing more.
    quarantine(batch=BatchFactory(product__clinic=endpoint.clinic))
    assert Delivery.objects.count() == 1
    assert len(receiver.received) == 14


def test_sending_again_by_hand_makes_one_new_attempt_under_the_same_webhook_id(
    endpoint, receiver, quarantine, time_machine, mary, django_capture_on_commit_callbacks
):
    quarantine()
    delivery = Delivery.objects.get()
    time_machine.move_to(SESSION_AT + timedelta(hours=2), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=delivery, by=mary)

    delivery.refresh_from_db()
    assert [r.webhook_id for r in receiver.received] == [delivery.webhook_id] * 2
    assert delivery.attempt_log.count() == 2
    assert (delivery.state, delivery.resent_by, delivery.attempts) == (DeliveryState.DELIVERED, mary, 2)


def test_a_delivery_sent_again_by_hand_is_tried_once_not_for_another_day(
    endpoint, receiver, quarantine, time_machine, mary, django_capture_on_commit_callbacks
):
    quarantine()
    delivery = Delivery.objects.get()
    receiver.answers = [500]

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(delivery=delivery, by=mary)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [200, 500]


def test_an_endpoint_not_subscribed_to_an_event_is_sent_nothing(endpoint, receiver, quarantine):
    endpoint.events = [EventKind.NEEDS_ATTENTION, EventKind.OVERDUE]
    endpoint.save()

    quarantine()

    assert DomainEvent.objects.get().dispatched_at is not None
    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_another_clinics_events_never_reach_this_clinics_endpoint(
    endpoint, receiver, quarantine, riverside_batch, grace
):
    quarantine(batch=riverside_batch, by=grace)

    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_an_event_whose_broker_was_down_is_kept_and_the_relay_delivers_it_later(
    endpoint, receiver, harbour_batch, mary, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    class BrokerDown:
        def delay(self, *args):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(handoff, "registered_task", lambda name: BrokerDown())
        with django_capture_on_commit_callbacks(execute=True):
            batch_quarantine(batch=harbour_batch, reason="Cluster", by=mary)

    event = DomainEvent.objects.get()
    assert (event.kind, event.dispatched_at) == (EventKind.BATCH_QUARANTINED, None)
    assert tasks.relay_webhooks() == 0
    time_machine.move_to(SESSION_AT + handoff.relay_grace() + timedelta(seconds=1), tick=False)
    tasks.relay_webhooks()

    assert [(r.verified, r.status) for r in receiver.received] == [(True, 200)]
    assert Delivery.objects.get().state == DeliveryState.DELIVERED


def test_a_receiver_that_is_not_listening_is_logged_as_unreachable_and_tried_again(
    endpoint, receiver, quarantine, time_machine
):
    receiver.close()

    quarantine()

    delivery = Delivery.objects.get()
    attempt = Attempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, AttemptError.NO_CONNECTION)
    assert (delivery.state, delivery.next_attempt_at) == (DeliveryState.PENDING, SESSION_AT + timedelta(minutes=1))
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.failing_since) == (1, SESSION_AT)


def test_an_address_that_now_leads_to_a_private_network_is_not_posted_to(endpoint, receiver, quarantine, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False

    quarantine()

    assert Attempt.objects.get().error == AttemptError.PRIVATE_ADDRESS
    assert receiver.received == []


def test_a_delivery_claimed_by_one_worker_is_not_tried_by_another(endpoint, receiver, quarantine, time_machine):
    receiver.answers = [500]
    quarantine()
    delivery = Delivery.objects.get()
    time_machine.move_to(delivery.next_attempt_at, tick=False)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_until=delivery.next_attempt_at + handoff.claim_lease())

    assert sending.delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1


def test_a_retry_falling_due_just_after_the_minutes_relay_is_taken_by_it_not_a_minute_later(
    endpoint, receiver, quarantine, time_machine
):
    receiver.answers = [500]
    quarantine()
    delivery = Delivery.objects.get()

    # The relay runs a moment before the retry's time, as beat's minute falls.
    time_machine.move_to(delivery.next_attempt_at - timedelta(seconds=2), tick=False)
    tasks.relay_webhooks()

    assert [r.status for r in receiver.received] == [500, 200]
