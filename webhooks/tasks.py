"""Webhook tasks: each takes an id, calls a service and is safe to run twice (see recovery.tasks on
acks_late and claims). Beat's minute relay hands over what a commit could not (the broker was down),
and the retries whose moment has come."""

from celery import shared_task
from django.conf import settings

from events import services as events

from . import notices, sending, services


@shared_task(soft_time_limit=60, time_limit=90)
def fan_out_event(event_id: str) -> int:
    return services.event_fan_out(event_id=event_id)


@shared_task(soft_time_limit=60, time_limit=90)
def deliver_webhook(delivery_id: str) -> bool | None:
    return sending.delivery_attempt(delivery_id=delivery_id)


@shared_task(soft_time_limit=60, time_limit=90)
def tell_managers_endpoint_off(endpoint_id: str) -> int:
    return notices.managers_tell_endpoint_off(endpoint_id=endpoint_id, base_url=settings.SITE_URL)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_webhooks() -> int:
    undispatched = events.events_undispatched()
    for event_id in undispatched:
        fan_out_event.delay(str(event_id))
    due = sending.deliveries_due()
    for delivery_id in due:
        deliver_webhook.delay(str(delivery_id))
    untold = notices.endpoints_off_untold()
    for endpoint_id in untold:
        tell_managers_endpoint_off.delay(str(endpoint_id))
    return len(undispatched) + len(due) + len(untold)
