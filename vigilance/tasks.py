from celery import shared_task

from . import services


@shared_task(soft_time_limit=5 * 60, time_limit=6 * 60)
def remind_late_reports() -> int:
    return services.late_reports_remind()
