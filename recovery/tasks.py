"""Celery tasks: each takes ids, calls a service and is safe to run twice.

`acks_late` (in settings) means a task whose worker dies is delivered again, and the
services' claims make the second run a no-op if the first recorded its send. A worker
killed between a send and its record sends again once the claim lapses: messages leave
at least once, with a Message-ID and idempotency key that let a repeat be recognised.
A check-in, guide or staff e-mail send records its own failures on its row, with the moment to
try again (messaging.retries), and the minute's relay hands it to a worker then.
"""

from celery import shared_task
from django.conf import settings

from . import notifications


@shared_task(soft_time_limit=60, time_limit=90)
def deliver_notification(notification_id: str) -> bool:
    return notifications.notification_email(notification_id=notification_id, base_url=settings.SITE_URL)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_notification_emails() -> int:
    pending = notifications.notifications_pending_email()
    for notification_id in pending:
        deliver_notification.delay(str(notification_id))
    return len(pending)
