"""The dry run: every file of an import read in full and checked, alone and against the others and the
clinic's record, before anything is written. It makes the plan the preview shows and the writer follows.

Kinds are checked in the order of `columns.KINDS`, each naming only kinds before it: products before
the batches that name them, patients and batches before the sessions, sessions before their reactions
and complications.
"""

from collections.abc import Callable
from datetime import datetime

from clinics.models import Clinic

from .catalogue_checks import batches_checked, catalogue_of, products_checked
from .dry_run import DryRun
from .patient_checks import patients_checked
from .plan import Plan
from .reading import Table
from .report_checks import complications_checked, reactions_checked, still_in_recovery
from .session_checks import sessions_checked

# {kind: (the file as read, {our column: the file's header})}
Files = dict[str, tuple[Table, dict[str, str]]]


def plan_made(
    *, clinic: Clinic, files: Files, now: datetime, source: str = "", progress: Callable[[int, int], None] | None = None
) -> Plan:
    """The plan of these files; `progress(done, total)` is told of each file read, then of the checks across them."""
    run = DryRun(clinic=clinic, now=now, plan=Plan(clinic_id=str(clinic.pk), source=source))
    steps = len(files) + 1
    lines = {}
    for done, (kind, (table, mapping)) in enumerate(files.items(), start=1):
        lines[kind] = run.lines_read(kind, table, mapping)
        if progress:
            progress(done, steps)
    patients = lines.get("patients", [])
    if patients:
        patients_checked(run, patients)
    catalogue = catalogue_of(run)
    if "products" in lines:
        products_checked(run, lines["products"], catalogue)
    if "batches" in lines:
        batches_checked(run, lines["batches"], catalogue)
    patients_in_file = {line.values["external_id"] for line in patients if line.values.get("external_id")}
    sessions = sessions_checked(run, lines.get("sessions", []), catalogue, patients_in_file)
    if "reactions" in lines:
        reactions_checked(run, lines["reactions"], sessions)
    if "complications" in lines:
        complications_checked(run, lines["complications"], sessions)
    names = {
        line.values["external_id"]: f"{line.values.get('first_name') or ''} {line.values.get('last_name') or ''}"
        for line in patients
        if line.values.get("external_id")
    }
    still_in_recovery(run, sessions, names)
    run.plan.refusals.sort(key=lambda problem: (list(files).index(problem.kind), problem.line))
    run.plan.warnings.sort(key=lambda problem: (list(files).index(problem.kind), problem.line))
    return run.plan
