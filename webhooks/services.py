"""Writes for webhooks: registering and changing an endpoint, an event's fan-out to the endpoints
that asked for it, and a delivery sent again by hand."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic
from events import services as events
from events.models import DomainEvent, EventKind
from messaging import handoff

from . import addresses
from .models import Delivery, DeliveryState, Endpoint, TurnedOff
from .sending import retry_window

NO_EVENTS = _("Choose at least one event.")
UNKNOWN_EVENT = _("Choose events from the list.")
ENDPOINT_OFF = _("This endpoint is turned off: turn it on before sending again.")
STILL_TRYING = _("This delivery is still being tried: its next attempt is shown below.")


def _problems(*, url: str, kinds: Sequence[str]) -> dict:
    errors = {}
    if problem := addresses.url_problem(url):
        errors["url"] = [problem]
    if not kinds:
        errors["events"] = [str(NO_EVENTS)]
    elif not set(kinds) <= set(EventKind.values):
        errors["events"] = [str(UNKNOWN_EVENT)]
    return errors


def _in_order(kinds: Sequence[str]) -> list[str]:
    return [kind for kind in EventKind.values if kind in set(kinds)]


def endpoint_create(*, clinic: Clinic, url: str, kinds: Sequence[str], by) -> Endpoint:
    """Register an endpoint for a clinic's events; its signing secret is made here."""
    url = url.strip()
    if errors := _problems(url=url, kinds=kinds):
        raise ValidationError(errors)
    endpoint = Endpoint(clinic=clinic, url=url, events=_in_order(kinds), created_by=by)
    endpoint._history_user = by
    endpoint.save()
    return endpoint


@transaction.atomic
def endpoint_update(*, endpoint: Endpoint, url: str, kinds: Sequence[str], enabled: bool, by) -> Endpoint:
    """Change an endpoint's address and events, or turn it off or on again. Turned on again, it starts
    afresh: its failures forgotten, and the deliveries given up meanwhile left for sending by hand."""
    url = url.strip()
    if errors := _problems(url=url, kinds=kinds):
        raise ValidationError(errors)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.url = url
    endpoint.events = _in_order(kinds)
    if enabled and not endpoint.enabled:
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
        endpoint.consecutive_failures = 0
        endpoint.failing_since = None
    elif not enabled and endpoint.enabled:
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = TurnedOff.BY_MANAGER
        Delivery.objects.filter(endpoint=endpoint, state=DeliveryState.PENDING).update(
            state=DeliveryState.GIVEN_UP, next_attempt_at=None
        )
    endpoint._history_user = by
    endpoint.save()
    return endpoint


def payload_body(event: DomainEvent) -> str:
    """What a receiver is told: the event, when it happened, and ids and a status, never a name or
    a health detail."""
    return json.dumps(
        {
            "type": event.kind,
            "timestamp": _iso(event.occurred_at),
            "data": {"clinic": str(event.clinic_id), **event.subject, "status": event.status},
        },
        separators=(",", ":"),
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@transaction.atomic
def event_fan_out(*, event_id, now: datetime | None = None) -> int:
    """Make the event's delivery to each endpoint of its clinic that is on and asked for it, once;
    they are tried after commit. Returns how many were made."""
    now = now or timezone.now()
    event = events.event_dispatch_claim(event_id=event_id, now=now)
    if event is None:
        return 0
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(clinic_id=event.clinic_id, disabled_at__isnull=True)
        if event.kind in endpoint.events
    ]
    if not endpoints:
        return 0
    body = payload_body(event)
    deliveries = [
        Delivery(event=event, endpoint=endpoint, body=body, next_attempt_at=now, retry_until=now + retry_window())
        for endpoint in endpoints
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    handoff.after_commit(handoff.WEBHOOK_DELIVERY, [delivery.pk for delivery in deliveries])
    return len(deliveries)


@transaction.atomic
def delivery_resend(*, delivery: Delivery, by, now: datetime | None = None) -> Delivery:
    """Send a delivered or given-up delivery once more, with its own webhook-id, as soon as a worker
    takes it; tried once, not for another day."""
    now = now or timezone.now()
    if not Endpoint.objects.filter(pk=delivery.endpoint_id, disabled_at__isnull=True).exists():
        raise ValidationError(str(ENDPOINT_OFF))
    resent = Delivery.objects.filter(
        pk=delivery.pk, state__in=[DeliveryState.DELIVERED, DeliveryState.GIVEN_UP]
    ).update(
        state=DeliveryState.PENDING,
        next_attempt_at=now,
        retry_until=now,
        claimed_until=None,
        resent_at=now,
        resent_by=by,
    )
    if not resent:
        raise ValidationError(str(STILL_TRYING))
    handoff.after_commit(handoff.WEBHOOK_DELIVERY, [delivery.pk])
    delivery.refresh_from_db()
    return delivery
