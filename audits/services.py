import logging
import tempfile
from dataclasses import replace
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone

from clinics.models import Clinic
from messaging import handoff
from recovery.models import NotificationKind, ReactionReport
from recovery.notifications import managers_of, notify

from . import exports
from .models import Export, ExportStatus, FileFormat
from .selectors import clustered_batch_ids

log = logging.getLogger(__name__)


def export_period(clinic: Clinic, start, end) -> tuple[datetime, datetime]:
    zone = clinic.zone
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=zone
    )


def export_create(*, clinic: Clinic, start, end, requested_by, file_format: str = FileFormat.CSV) -> Export:
    """Queue an export; the worker starts it once this transaction has committed."""
    export = Export.objects.create(
        clinic=clinic, start=start, end=end, requested_by=requested_by, file_format=file_format
    )
    handoff.after_commit(handoff.EXPORT_RUN, [export.pk])
    return export


def exports_to_relay(*, now=None) -> list:
    """Queued exports nobody started, and running ones whose worker died (past the task's time limit)."""
    now = now or timezone.now()
    return list(
        Export.objects.filter(
            Q(status=ExportStatus.QUEUED, created_at__lte=now - timedelta(minutes=2))
            | Q(status=ExportStatus.RUNNING, started_at__lte=now - STALE_AFTER)
        ).values_list("pk", flat=True)
    )


PROGRESS_EVERY = 200
# Longer than the task's hard time limit: a run this old has certainly died.
STALE_AFTER = timedelta(minutes=40)


def export_run(*, export_id) -> None:
    """Write the file to disk row by row, recording progress. Claimed first, so it runs once."""
    now = timezone.now()
    claimed = Export.objects.filter(
        Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, started_at__lte=now - STALE_AFTER),
        pk=export_id,
    ).update(status=ExportStatus.RUNNING, started_at=now, done_rows=0)
    if not claimed:
        return
    try:
        _write_export(export_id)
    except Exception:
        log.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        raise


def _write_export(export_id) -> None:
    export = Export.objects.select_related("clinic").get(pk=export_id)
    start, end = export_period(export.clinic, export.start, export.end)
    sessions = exports.sessions_for_export(clinic_ids=[export.clinic_id], start=start, end=end)
    total = sessions.count()
    Export.objects.filter(pk=export_id).update(total_rows=total)
    table = exports.sessions_table(sessions)
    with tempfile.TemporaryFile("w+b") as spool:
        rows = _counted(export_id, table.rows)
        exports.write_table(replace(table, rows=rows), spool, file_format=export.file_format)
        spool.seek(0)
        export.file.save(f"sessions-{export.start}-{export.end}.{export.file_format}", File(spool), save=False)
    Export.objects.filter(pk=export_id).update(
        file=export.file.name, status=ExportStatus.DONE, done_rows=total, finished_at=timezone.now()
    )


def _counted(export_id, rows):
    """The rows as they are written, with the progress the page shows recorded every so often."""
    for done, row in enumerate(rows, start=1):
        yield row
        if done % PROGRESS_EVERY == 0:
            Export.objects.filter(pk=export_id).update(done_rows=done)


def batch_clusters_notify(*, report_id, now: datetime | None = None) -> None:
    """Point out to managers a batch whose patients report complications close together.

    Run after the report's commit, so it counts that report. Told once per batch
    (the notification's event key): the managers then decide, and a quarantined
    batch is no longer counted.
    """
    report = ReactionReport.objects.select_related("session").filter(pk=report_id).first()
    if report is None:
        return
    now = now or timezone.now()
    session = report.session
    batch_ids = {str(pk) for pk in session.products_used.values_list("batch_id", flat=True)}
    clustered = batch_ids & clustered_batch_ids(
        clinic_ids=[session.clinic_id],
        now=now,
        threshold=settings.BATCH_CLUSTER_COMPLICATIONS,
        days=settings.BATCH_CLUSTER_DAYS,
    )
    managers = managers_of(session)
    for use in session.products_used.select_related("batch__product").filter(batch_id__in=clustered):
        batch = use.batch
        notify(
            session=session,
            user_ids=managers,
            kind=NotificationKind.BATCH_CLUSTER,
            params={
                "product": batch.product.name,
                "lot": batch.lot_number,
                "count": settings.BATCH_CLUSTER_COMPLICATIONS,
                "days": settings.BATCH_CLUSTER_DAYS,
            },
            event_key=f"batch_cluster:{batch.pk}",
        )
