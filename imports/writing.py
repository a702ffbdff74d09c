"""Writing a checked import: a clinic's history brought in, set-based, all of it or nothing.

`history_write` runs inside its caller's transaction (the import's task holds it open): each kind
is written in batches of a few statements, keyed by the file's own numbers, so importing the same
file twice adds nothing. What it writes is history: no check-in, guide, notification or event for
other systems is planned for a past session, and its recovery closes as imported, unless the
manager chose to follow a session still in recovery here, from now on.
"""

from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from recovery.models import CloseOutcome, Recovery
from recovery.sessions import recovery_open
from recovery.tallies import tallies_recount_days
from treatments.models import TreatmentSession

from .columns import BATCHES, COMPLICATIONS, PATIENTS, PRODUCTS, REACTIONS, SESSIONS
from .writing_catalogue import batches_write, patients_write, products_write
from .writing_reports import complications_write, counted_as_reported_or_confirmed, reactions_write
from .writing_rows import Tally, in_batches, rows_of, source_of
from .writing_sessions import series_renumber, sessions_named, sessions_write

Progress = Callable[[int, int], None]


def history_write(*, clinic, recorded_by, plan, decisions: dict | None, progress: Progress | None = None) -> dict:
    """Write the plan's rows (columns.py's names, parsed values, an "action" each) for `clinic`.

    `decisions["follow"]` lists the external ids of the sessions still in recovery that the manager
    chose to follow here; every other session brought in has its recovery closed as imported.
    Returns how many rows of each kind were created, updated and skipped.
    """
    rows = {kind.code: rows_of(plan, kind.code) for kind in (PATIENTS, PRODUCTS, BATCHES, SESSIONS, REACTIONS)}
    rows[COMPLICATIONS.code] = rows_of(plan, COMPLICATIONS.code)
    total = sum(len(kind_rows) for kind_rows in rows.values())
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    tally = Tally()
    source = source_of(plan)
    patients = patients_write(clinic=clinic, rows=rows["patients"], tally=tally, progress=step)
    products = products_write(clinic=clinic, rows=rows["products"], tally=tally, progress=step)
    batches = batches_write(clinic=clinic, rows=rows["batches"], products=products, tally=tally, progress=step)
    written = sessions_write(
        clinic=clinic,
        recorded_by=recorded_by,
        rows=rows["sessions"],
        source=source,
        patients=patients,
        products=products,
        batches=batches,
        tally=tally,
        progress=step,
    )
    named = {row["session_external_id"] for kind in ("reactions", "complications") for row in rows[kind]}
    sessions = sessions_named(clinic, named, known=written.ids)
    reported = reactions_write(
        clinic=clinic, recorded_by=recorded_by, rows=rows["reactions"], sessions=sessions, tally=tally, progress=step
    )
    confirmed = complications_write(
        recorded_by=recorded_by,
        rows=rows["complications"],
        source=source,
        sessions=sessions,
        tally=tally,
        progress=step,
    )
    followed = [
        written.created[external_id]
        for external_id in (decisions or {}).get("follow", ())
        if external_id in written.created
    ]
    _close_as_imported(
        session_ids=[pk for pk in written.created.values() if pk not in set(followed)],
        reported_again=(reported | confirmed) - set(written.created.values()),
        closed_by=recorded_by,
    )
    counted_as_reported_or_confirmed(session_ids=reported | confirmed)
    _follow(session_ids=followed)
    days = written.days | series_renumber(clinic=clinic) | _days_of(reported | confirmed, but_not=written.created)
    tallies_recount_days(days={clinic.pk: days})
    return tally.as_dict()


def _close_as_imported(*, session_ids: list, reported_again: set, closed_by) -> None:
    """Close these recoveries as imported, after their reports are stored: a closure answers what
    was known before it, so imported reports never put a past session on today's queue. A session
    imported before, closed as imported, that this file brings news of is closed again after it."""
    closed_at = timezone.now()
    closure = {"closed_at": closed_at, "closed_by": closed_by, "closing_outcome": CloseOutcome.IMPORTED}
    for batch in in_batches(session_ids):
        Recovery.objects.filter(pk__in=batch).update(**closure)
    for batch in in_batches(sorted(reported_again, key=str)):
        Recovery.objects.filter(pk__in=batch, closing_outcome=CloseOutcome.IMPORTED).update(closed_at=closed_at)


def _follow(*, session_ids: list) -> None:
    """A session still in recovery that the manager chose to follow: its recovery is open, assessed
    now, with check-ins planned for the moments still ahead. What is already past is not told:
    staff see it on the queue, and the sweep finds nothing new to send."""
    now = timezone.now()
    for session in TreatmentSession.objects.filter(pk__in=session_ids).select_related("patient", "clinic"):
        recovery = recovery_open(session=session)
        told = {}
        if recovery.unacknowledged_at and recovery.unacknowledged_at <= now:
            told["notified_attention_at"] = recovery.unacknowledged_at
        if recovery.overdue_at and recovery.overdue_at <= now:
            told["notified_overdue_at"] = recovery.overdue_at
        if told:
            Recovery.objects.filter(pk=recovery.pk).update(**told)


def _days_of(session_ids: set, *, but_not: dict) -> set:
    """The clinic days of sessions imported before that this file brought reports or complications to."""
    created = set(but_not.values())
    days = set()
    for batch in in_batches(sorted((pk for pk in session_ids if pk not in created), key=str)):
        days.update(Recovery.objects.filter(Q(pk__in=batch)).values_list("performed_on", flat=True).distinct())
    return days
