"""Sending one delivery: claimed, signed afresh, posted, its answer logged, and what follows.

A delivery is tried as soon as its event is fanned out, then again with waits that double from a
minute up to four hours, for WEBHOOK_RETRY_HOURS (a day); the last try falls at the end of that day.
Each retry's moment is kept on the row and the minute's relay hands it to a worker then, rather
than a Celery countdown: the row is the truth the log page shows, a broker restart loses no retry,
and Redis would hand a task waiting hours to a second worker once its visibility timeout lapsed.

Each attempt carries the delivery's `webhook-id` and a signature made then, over the attempt's own
`webhook-timestamp` (Standard Webhooks), so a receiver checking the time still takes a retry made
hours later, and can tell it from the first by its id.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import requests
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from standardwebhooks import Webhook
from urllib3.exceptions import HTTPError

from messaging import handoff
from messaging.retries import retry_wait
from messaging.text_messages import retry_after_of

from . import addresses
from .models import ANSWER_KEPT, Attempt, AttemptError, Delivery, DeliveryState, Endpoint, TurnedOff

log = logging.getLogger(__name__)

LONGEST_WAIT = timedelta(hours=4)
# A wait counts from an attempt made just after the minute's relay ran, so its retry falls due just
# after the relay that should send it: what falls due this close is taken now, not a minute later.
EARLY = timedelta(seconds=5)
USER_AGENT = "RecoveryDesk-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status_code: int | None = None
    text: str = ""
    error: str = ""
    retry_after: timedelta | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_window() -> timedelta:
    return timedelta(hours=settings.WEBHOOK_RETRY_HOURS)


def next_attempt_at(
    *, attempts: int, now: datetime, retry_until: datetime, retry_after: timedelta | None = None
) -> datetime | None:
    """When to try again after a failed attempt, or None to give up: the waits double, and the last
    try falls on `retry_until` itself."""
    moment = now + retry_wait(attempts, retry_after, longest=LONGEST_WAIT)
    if moment <= retry_until:
        return moment
    return retry_until if now < retry_until else None


def _due(now: datetime) -> Q:
    return Q(state=DeliveryState.PENDING, next_attempt_at__lte=now + EARLY, endpoint__disabled_at__isnull=True) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def deliveries_due(*, now: datetime | None = None) -> list:
    now = now or timezone.now()
    return list(Delivery.objects.filter(_due(now)).order_by("next_attempt_at").values_list("pk", flat=True))


def signed_headers(*, delivery: Delivery, secret: str, at: datetime) -> dict:
    # The header carries whole seconds, and the signature must be made over the same number.
    moment = datetime.fromtimestamp(int(at.timestamp()), UTC)
    return {
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery.webhook_id, moment, delivery.body),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }


def delivery_attempt(*, delivery_id, now: datetime | None = None) -> bool | None:
    """Try one delivery if it is due and nobody else is trying it. Returns whether it arrived, or
    None when it was not this call's to try."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(_due(now), pk=delivery_id).update(
        claimed_until=now + handoff.claim_lease(), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    answer = _post(delivery, at=now)
    with transaction.atomic():
        _settle(delivery, answer, now=now)
    return answer.succeeded


def _post(delivery: Delivery, *, at: datetime) -> Answer:
    endpoint = delivery.endpoint
    if addresses.resolves_privately(endpoint.url):
        return Answer(error=AttemptError.PRIVATE_ADDRESS)
    try:
        with requests.post(
            endpoint.url,
            data=delivery.body.encode(),
            headers=signed_headers(delivery=delivery, secret=endpoint.secret, at=at),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            # A redirect would lead the signed body wherever the receiver points, unchecked.
            allow_redirects=False,
            stream=True,
        ) as response:
            return Answer(
                status_code=response.status_code, text=_answer_text(response), retry_after=retry_after_of(response)
            )
    # A receiver that trickles its answer is stopped by the task's time limit, and counts as silent.
    except (requests.Timeout, SoftTimeLimitExceeded):
        return Answer(error=AttemptError.TIMEOUT)
    except (requests.RequestException, OSError):
        return Answer(error=AttemptError.NO_CONNECTION)


def _answer_text(response) -> str:
    """As much of the answer as the log keeps, and no more, however much the receiver sends."""
    try:
        text = response.raw.read(ANSWER_KEPT, decode_content=True).decode("utf-8", "replace")
    except (HTTPError, OSError):
        return ""
    return text.replace("\x00", "")[:ANSWER_KEPT]


def _settle(delivery: Delivery, answer: Answer, *, now: datetime) -> None:
    Attempt.objects.create(
        delivery=delivery, at=now, status_code=answer.status_code, answer=answer.text, error=answer.error
    )
    endpoint = Endpoint.objects.filter(pk=delivery.endpoint_id)
    if answer.succeeded:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.DELIVERED, delivered_at=now, next_attempt_at=None, claimed_until=None
        )
        endpoint.update(consecutive_failures=0, failing_since=None)
        return
    retry_at = next_attempt_at(
        attempts=delivery.attempts, now=now, retry_until=delivery.retry_until, retry_after=answer.retry_after
    )
    # Unless the endpoint was turned off meanwhile, which gave up its deliveries.
    waiting = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING)
    if retry_at:
        waiting.update(next_attempt_at=retry_at, claimed_until=None)
    else:
        waiting.update(state=DeliveryState.GIVEN_UP, next_attempt_at=None, claimed_until=None)
        log.error("Webhook delivery %s: given up after %s attempts", delivery.pk, delivery.attempts)
    endpoint.update(
        consecutive_failures=F("consecutive_failures") + 1,
        failing_since=Coalesce("failing_since", Value(now, output_field=DateTimeField())),
    )
    _turn_off_if_failing(endpoint_id=delivery.endpoint_id, now=now)


def _turn_off_if_failing(*, endpoint_id, now: datetime) -> None:
    """An endpoint that has answered none of its last attempts, over long enough, is turned off,
    its waiting deliveries given up and its clinic's managers told, once."""
    turned_off = Endpoint.objects.filter(
        pk=endpoint_id,
        disabled_at__isnull=True,
        consecutive_failures__gte=settings.WEBHOOK_DISABLE_AFTER_FAILURES,
        failing_since__lte=now - timedelta(hours=settings.WEBHOOK_DISABLE_AFTER_HOURS),
    ).update(disabled_at=now, disabled_reason=TurnedOff.FAILING, managers_told_at=None)
    if not turned_off:
        return
    Delivery.objects.filter(endpoint_id=endpoint_id, state=DeliveryState.PENDING).update(
        state=DeliveryState.GIVEN_UP, next_attempt_at=None
    )
    log.error("Webhook endpoint %s turned off: it answered no delivery for too long", endpoint_id)
    handoff.after_commit(handoff.ENDPOINT_OFF_NOTICE, [endpoint_id])
