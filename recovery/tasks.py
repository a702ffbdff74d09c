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

from . import discards, notifications, photo_uploads


@shared_task(soft_time_limit=60, time_limit=90)
def deliver_notification(notification_id: str) -> bool:
    return notifications.notification_email(notification_id=notification_id, base_url=settings.SITE_URL)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_notification_emails() -> int:
    pending = notifications.notifications_pending_email()
    for notification_id in pending:
        deliver_notification.delay(str(notification_id))
    return len(pending)


@shared_task(soft_time_limit=60, time_limit=90)
def remove_discarded_file(discarded_file_id: str) -> bool:
    return discards.discarded_file_remove(discarded_file_id=discarded_file_id)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_discarded_files() -> int:
    pending = discards.discarded_files_pending()
    for discarded_file_id in pending:
        remove_discarded_file.delay(str(discarded_file_id))
    return len(pending)


# A photo decodes in a few seconds at most (docs/benchmarks.md); one that has not in a minute is
# left for the relay to try again, a bounded number of times (recovery.photo_uploads.MAX_ATTEMPTS).
@shared_task(soft_time_limit=60, time_limit=90)
def process_photo_upload(upload_id: str) -> str | None:
    return photo_uploads.upload_process(upload_id=upload_id)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_photo_uploads() -> int:
    pending = photo_uploads.uploads_pending()
    for upload_id in pending:
        process_photo_upload.delay(str(upload_id))
    return len(pending)
