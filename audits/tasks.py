from celery import shared_task

from . import services


@shared_task(soft_time_limit=30 * 60, time_limit=35 * 60)
def run_export(export_id: str) -> None:
    services.export_run(export_id=export_id)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_exports() -> int:
    pending = services.exports_to_relay()
    for export_id in pending:
        run_export.delay(str(export_id))
    return len(pending)


@shared_task(soft_time_limit=60, time_limit=90)
def detect_batch_clusters(report_id: str) -> None:
    services.batch_clusters_notify(report_id=report_id)
