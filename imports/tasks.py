from celery import shared_task

from . import services


# A dry run reads every line of every file: 100,000 sessions take minutes, not the default minute.
@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60)
def import_run_check(run_id: str) -> None:
    services.import_run_check(run_id=run_id)


@shared_task(soft_time_limit=40 * 60, time_limit=45 * 60)
def import_run_write(run_id: str) -> None:
    services.import_run_write(run_id=run_id)
