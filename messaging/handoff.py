"""How work leaves a transaction for the Celery workers, and how its messages leave the app.

Callers name the task rather than import it, so that tasks import services and
never the reverse. A task is sent only once the transaction that made its work
has committed; if the broker is down, the work stays in its row, and a relay on
beat sends it later. Workers claim each row with a conditional update and a
lease, so a task that runs twice, or in two workers, acts once.

Messages still leave at least once, not exactly once: a worker killed after the
mail server or the text provider accepted a message, and before its row was
marked sent, leaves the claim to lapse and the message is sent again. Each
message therefore carries a key of its own row (`message_id`, the provider's
idempotency key), the same on every attempt, so a repeat can be recognised.
"""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from clinic.celery import app as celery_app

log = logging.getLogger(__name__)

CHECK_IN_SEND = "checkins.tasks.send_check_in"
GUIDE_SEND = "checkins.tasks.send_guide"
FILE_REMOVAL = "photos.tasks.remove_discarded_file"
PHOTO_PROCESS = "photos.tasks.process_photo_upload"
NOTIFICATION_DELIVERY = "recovery.tasks.deliver_notification"
BATCH_CLUSTER_DETECTION = "audits.tasks.detect_batch_clusters"
EXPORT_RUN = "audits.tasks.run_export"
EVENT_FAN_OUT = "webhooks.tasks.fan_out_event"
WEBHOOK_DELIVERY = "webhooks.tasks.deliver_webhook"
ENDPOINT_OFF_NOTICE = "webhooks.tasks.tell_managers_endpoint_off"


def after_commit(task_name: str, ids) -> None:
    """Send `task_name` once per id when the current transaction commits."""
    ids = [str(pk) for pk in ids]
    transaction.on_commit(lambda: send(task_name, ids))


def send(task_name: str, ids) -> None:
    task = registered_task(task_name)
    for pk in ids:
        try:
            task.delay(str(pk))
        except Exception as error:  # kombu raises transport-specific errors; the row stays pending either way.
            log.warning("Broker unavailable (%r); %s for %s is left to the relay", error, task_name, pk)
            return


def registered_task(task_name: str):
    """The task itself, so that it runs in-process when Celery is told to (the tests) and is
    published otherwise. Every app's tasks module is imported the first time one is asked for."""
    if task_name not in celery_app.tasks:
        celery_app.loader.import_default_modules()
    return celery_app.tasks[task_name]


def relay_grace() -> timedelta:
    """Rows younger than this were just handed to the broker by their own transaction."""
    return timedelta(seconds=settings.RELAY_GRACE_SECONDS)


def claim_lease() -> timedelta:
    """How long a claim holds: after it, a send that a killed worker left unfinished is taken again."""
    return timedelta(seconds=settings.CLAIM_LEASE_SECONDS)


def message_id(kind: str, pk) -> str:
    """The e-mail Message-ID of one row's message, the same on every attempt: mail clients and
    servers that see it twice show it once."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{kind}.{pk}@{domain}>"


def idempotency_key(kind: str, pk) -> str:
    """The text provider's key for one row's message, the same on every attempt."""
    return f"{kind}:{pk}"
