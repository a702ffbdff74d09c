"""An import from start to end: files received, columns mapped, the dry run, the manager's choices,
and the writing, all of it or nothing, in a Celery task.

The dry run and the writing each run in a task, started after commit by name: a file of 100,000
sessions takes longer than a request may. The task that writes checks the files again first, as the
clinic's record may have changed since the preview, and writes nothing if any line now reads otherwise.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from clinics.models import Clinic
from messaging import handoff
from trail.models import TransferDirection
from trail.services import file_transfer_record

from . import messages
from .accepted import folded
from .checks import plan_made
from .columns import KINDS
from .models import ImportFile, ImportMapping, ImportRun, RunStatus
from .plan import Plan
from .reading import table_read
from .writing import history_write

log = logging.getLogger(__name__)

IMPORT_CHECK = "imports.tasks.import_run_check"
IMPORT_WRITE = "imports.tasks.import_run_write"
# Progress is kept where the page can read it while the writing's transaction is still open.
PROGRESS_KEY = "imports:progress:{}"
PROGRESS_SECONDS = 60 * 60


@transaction.atomic
def import_run_start(*, clinic: Clinic, created_by, source: str, kind: str, name: str, content: bytes) -> ImportRun:
    """A new import from `source`, with its first file; reading.FileRefused, and no run, for a file that
    does not read as a spreadsheet."""
    run = ImportRun.objects.create(clinic=clinic, created_by=created_by, source=source.strip())
    import_file_add(run=run, kind=kind, name=name, content=content)
    return run


@transaction.atomic
def import_file_add(*, run: ImportRun, kind: str, name: str, content: bytes) -> ImportFile:
    """The file of this kind for the run (replacing one added before), once it reads as a spreadsheet.

    Raises reading.FileRefused with what to do about a file that does not.
    """
    table = table_read(content, name)
    ImportFile.objects.filter(run=run, kind=kind).delete()
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.COLLECTING, plan=None)
    return ImportFile.objects.create(
        run=run,
        kind=kind,
        name=name[-ImportFile._meta.get_field("name").max_length :],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        headers=table.headers,
    )


def mapping_guessed(*, run: ImportRun, import_file: ImportFile) -> dict[str, str]:
    """For each of our columns, the file's column: as mapped for the last file from this source, else
    the one named as ours or as its label in English or French."""
    headers = import_file.headers
    saved = ImportMapping.objects.filter(clinic=run.clinic, source=run.source, kind=import_file.kind).first()
    guessed = {name: header for name, header in (saved.mapping if saved else {}).items() if header in headers}
    by_name = {folded(header): header for header in headers}
    for column in KINDS[import_file.kind].columns:
        if column.name in guessed:
            continue
        for candidate in (column.name, column.label, *_labels(column)):
            header = by_name.get(folded(str(candidate)))
            if header:
                guessed[column.name] = header
                break
    return guessed


def _labels(column) -> list[str]:
    labels = []
    for language in ("en-gb", "fr"):
        with translation.override(language):
            labels.append(str(column.label))
    return labels


@transaction.atomic
def import_mapping_save(*, run: ImportRun, mappings: dict[str, dict[str, str]]) -> None:
    """Each file's mapping kept, on the file and for the next file from the same source; the dry run started."""
    for import_file in run.files.all():
        mapping = mappings.get(import_file.kind, {})
        import_file.mapping = mapping
        import_file.save(update_fields=["mapping"])
        ImportMapping.objects.update_or_create(
            clinic=run.clinic, source=run.source, kind=import_file.kind, defaults={"mapping": mapping}
        )
    ImportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.CHECKING,
        plan=None,
        progress_done=0,
        progress_total=run.files.count(),
        error="",
        queued_at=timezone.now(),
    )
    handoff.after_commit(IMPORT_CHECK, [run.pk])


def _plan_of(run: ImportRun, *, progress=None) -> Plan:
    files = {}
    for import_file in sorted(run.files.all(), key=lambda import_file: list(KINDS).index(import_file.kind)):
        files[import_file.kind] = (table_read(bytes(import_file.content), import_file.name), import_file.mapping)
    return plan_made(clinic=run.clinic, files=files, now=timezone.now(), source=run.source, progress=progress)


def import_run_check(*, run_id) -> None:
    """The dry run of the run's files, kept as its plan for the preview. Run again, it finds the same."""
    run = ImportRun.objects.select_related("clinic").filter(pk=run_id, status=RunStatus.CHECKING).first()
    if run is None:
        return
    try:
        plan = _plan_of(run, progress=lambda done, total: _progress(run, done, total))
    except Exception:
        log.exception("Import %s could not be checked", run_id)
        ImportRun.objects.filter(pk=run.pk, status=RunStatus.CHECKING).update(
            status=RunStatus.FAILED, error=messages.CHECK_FAILED, finished_at=timezone.now()
        )
        return
    finally:
        cache.delete(PROGRESS_KEY.format(run.pk))
    ImportRun.objects.filter(pk=run.pk, status=RunStatus.CHECKING).update(
        status=RunStatus.PREVIEWED, plan=plan.as_json(), checked_at=timezone.now(), progress_done=run.progress_total
    )


@transaction.atomic
def import_run_confirm(*, run: ImportRun, answers: dict[str, str], follow: list[str]) -> bool:
    """The manager's go, with their answers; False when the run was no longer waiting for it."""
    plan = Plan.from_json(run.plan or {})
    if plan.refusals:
        return False
    started = ImportRun.objects.filter(pk=run.pk, status=RunStatus.PREVIEWED).update(
        status=RunStatus.WRITING,
        decisions={"same_person": answers, "follow": follow},
        confirmed_at=timezone.now(),
        queued_at=timezone.now(),
        progress_done=0,
        progress_total=sum(len(rows) for rows in plan.rows.values()),
    )
    if started:
        handoff.after_commit(IMPORT_WRITE, [run.pk])
    return bool(started)


def import_run_cancel(*, run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk).exclude(status__in=(RunStatus.WRITING, RunStatus.DONE)).update(
        status=RunStatus.CANCELLED
    )


def _same_outcome(previewed: Plan, now: Plan) -> bool:
    return not now.refusals and now.counts() == previewed.counts()


def import_run_write(*, run_id) -> None:
    """Write a confirmed run in one transaction; a second delivery of the task finds it done."""
    try:
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().select_related("clinic", "created_by").get(pk=run_id)
            if run.status != RunStatus.WRITING:
                return
            previewed = Plan.from_json(run.plan)
            checked_again = _plan_of(run)
            if not _same_outcome(previewed, checked_again):
                _failed(run, messages.CHANGED_SINCE_PREVIEW)
                return
            plan = checked_again.with_answers(run.decisions.get("same_person", {})).for_writing()
            written = history_write(
                clinic=run.clinic,
                recorded_by=run.created_by,
                plan=plan,
                decisions={"follow": run.decisions.get("follow", [])},
                progress=lambda done, total: _progress(run, done, total),
            )
            counts = _by_kind(written)
            for import_file in run.files.all():
                file_transfer_record(
                    clinic_id=run.clinic_id,
                    user=run.created_by,
                    direction=TransferDirection.IMPORT,
                    file_name=import_file.name,
                    sha256=import_file.sha256,
                    counts=counts.get(import_file.kind, {}),
                )
            ImportRun.objects.filter(pk=run.pk).update(
                status=RunStatus.DONE, counts=counts, finished_at=timezone.now(), progress_done=run.progress_total
            )
    except Exception:
        log.exception("Import %s could not be written", run_id)
        ImportRun.objects.filter(pk=run_id, status=RunStatus.WRITING).update(
            status=RunStatus.FAILED, error=messages.WRITE_FAILED, finished_at=timezone.now()
        )
    finally:
        cache.delete(PROGRESS_KEY.format(run_id))


def imports_stuck_fail(*, check_seconds: int, write_seconds: int) -> int:
    """Runs whose task is past its time limit and never finished (the broker was down, or a worker was
    stopped): marked failed, so the manager is told and can start again, rather than wait on a bar."""
    now = timezone.now()
    stuck = ImportRun.objects.filter(
        Q(status=RunStatus.CHECKING, queued_at__lt=now - timedelta(seconds=check_seconds))
        | Q(status=RunStatus.WRITING, queued_at__lt=now - timedelta(seconds=write_seconds))
    )
    return stuck.update(status=RunStatus.FAILED, error=messages.DID_NOT_FINISH, finished_at=now)


def _failed(run: ImportRun, code: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=code, finished_at=timezone.now())


_OUTCOMES = {"created": "create", "updated": "update", "skipped": "skip"}


def _by_kind(written: dict[str, int]) -> dict[str, dict[str, int]]:
    """The writer's tally ({"patients_created": 3, ...}) as each kind's counts ({"patients": {"create": 3}})."""
    counts: dict[str, dict[str, int]] = {}
    for key, count in written.items():
        kind, _separator, outcome = key.rpartition("_")
        if kind in KINDS:
            counts.setdefault(kind, {})[_OUTCOMES.get(outcome, outcome)] = count
    return counts


def _progress(run: ImportRun, done: int, total: int) -> None:
    cache.set(PROGRESS_KEY.format(run.pk), (done, total), PROGRESS_SECONDS)


def progress_of(run: ImportRun) -> tuple[int, int]:
    """How far a run is: as its task last said, else as its row says."""
    return cache.get(PROGRESS_KEY.format(run.pk)) or (run.progress_done, run.progress_total)
