from celery import shared_task

from . import services

# A dry run reads every line of every file: 100,000 sessions take minutes, not the default minute.
CHECK_LIMIT_SECONDS = 25 * 60
WRITE_LIMIT_SECONDS = 45 * 60


@shared_task(soft_time_limit=CHECK_LIMIT_SECONDS - 5 * 60, time_limit=CHECK_LIMIT_SECONDS)
def import_run_check(run_id: str) -> None:
    services.import_run_check(run_id=run_id)


@shared_task(soft_time_limit=WRITE_LIMIT_SECONDS - 5 * 60, time_limit=WRITE_LIMIT_SECONDS)
def import_run_write(run_id: str) -> None:
    services.import_run_write(run_id=run_id)


@shared_task(soft_time_limit=60, time_limit=90)
def fail_stuck_imports() -> int:
    return services.imports_stuck_fail(check_seconds=CHECK_LIMIT_SECONDS, write_seconds=WRITE_LIMIT_SECONDS)
