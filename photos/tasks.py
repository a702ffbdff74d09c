"""Celery tasks for photos: each takes ids, calls a service and is safe to run twice (see recovery.tasks).

A photo is claimed on its row; a discarded file is removed once, whoever tries; beat's relays
hand a row whose worker died, or whose message was lost, to another worker.
"""

from celery import shared_task

from . import discards, uploads


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
# left for the relay to try again, a bounded number of times (photos.uploads.MAX_ATTEMPTS).
@shared_task(soft_time_limit=60, time_limit=90)
def process_photo_upload(upload_id: str) -> str | None:
    return uploads.upload_process(upload_id=upload_id)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_photo_uploads() -> int:
    pending = uploads.uploads_pending()
    for upload_id in pending:
        process_photo_upload.delay(str(upload_id))
    return len(pending)
