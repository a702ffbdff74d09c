"""Past reactions and confirmed complications of a dry run, and which of its sessions are still recovering.

A recovery still under way is never closed silently (PRODUCT.md): a session under 14 days old, or older
with a report in the last 14 days that is not all clear, is listed for the manager to follow here or close.
"""

from datetime import datetime, timedelta

from recovery.models import Complication, ReactionReport
from treatments.models import TreatmentSession

from . import messages
from .dry_run import DryRun, Line
from .plan import Action, StillInRecovery
from .selectors import stored_ids
from .session_checks import Sessions

RECOVERY_DAYS = 14
ALL_CLEAR = "none"


def _sessions_named(run: DryRun, lines: list[Line], sessions: Sessions) -> dict[str, dict]:
    """{session number: {"performed_at", "id"}} for the sessions these lines name, in the file or stored."""
    named = {line.values.get("session_external_id") for line in lines} - {None}
    found = {
        external_id: {"performed_at": sessions[external_id]["performed_at"]} for external_id in named & sessions.keys()
    }
    stored = stored_ids(clinic=run.clinic, kind="sessions", external_ids=named - sessions.keys())
    times = dict(TreatmentSession.objects.filter(pk__in=stored.values()).values_list("pk", "performed_at"))
    for external_id, session_id in stored.items():
        found[external_id] = {"performed_at": times.get(session_id), "id": session_id}
    return found


def _after_session(run: DryRun, kind: str, line: Line, column: str, session: dict | None) -> None:
    moment = line.values.get(column)
    performed_at = session and session.get("performed_at")
    if moment and performed_at and moment < performed_at:
        run.refuse(kind, line, column, messages.BEFORE_SESSION)


def _session_known(run: DryRun, kind: str, line: Line, known: dict[str, dict]) -> dict | None:
    external_id = line.values.get("session_external_id")
    if external_id and external_id not in known:
        run.refuse(kind, line, "session_external_id", messages.UNKNOWN_SESSION, value=external_id)
        return None
    return known.get(external_id)


def reactions_checked(run: DryRun, lines: list[Line], sessions: Sessions) -> None:
    known = _sessions_named(run, lines, sessions)
    reported = {
        (str(session_id), reported_at)
        for session_id, reported_at in ReactionReport.objects.filter(
            session_id__in=[session["id"] for session in known.values() if "id" in session]
        ).values_list("session_id", "reported_at")
    }
    for line in lines:
        session = _session_known(run, "reactions", line, known)
        reaction, severity, red_flag = (line.values.get(name) for name in ("reaction", "severity", "red_flag"))
        if bool(reaction or severity) == bool(red_flag):
            run.refuse("reactions", line, "reaction", messages.REACTION_OR_RED_FLAG)
        elif bool(reaction) != bool(severity):
            run.refuse("reactions", line, "severity", messages.SEVERITY_WITHOUT_REACTION)
        _after_session(run, "reactions", line, "reported_at", session)
        if line.refused:
            continue
        already = session and "id" in session and (session["id"], line.values["reported_at"]) in reported
        run.row("reactions", line, Action.SKIP if already else Action.CREATE)


def complications_checked(run: DryRun, lines: list[Line], sessions: Sessions) -> None:
    known = _sessions_named(run, lines, sessions)
    recorded = {
        (str(session_id), complication_type, onset_at)
        for session_id, complication_type, onset_at in Complication.objects.filter(
            recovery__session_id__in=[session["id"] for session in known.values() if "id" in session]
        ).values_list("recovery__session_id", "complication_type", "onset_at")
    }
    for line in lines:
        session = _session_known(run, "complications", line, known)
        _after_session(run, "complications", line, "onset_at", session)
        onset, resolved = line.values.get("onset_at"), line.values.get("resolved_on")
        if onset and resolved and resolved < onset.astimezone(run.clinic.zone).date():
            run.refuse("complications", line, "resolved_on", messages.RESOLVED_BEFORE_ONSET)
        if line.refused:
            continue
        key = (session or {}).get("id"), line.values["complication_type"], onset
        run.row("complications", line, Action.SKIP if key in recorded else Action.CREATE)


def still_in_recovery(run: DryRun, sessions: Sessions, patient_names: dict[str, str]) -> None:
    """The sessions written by this import whose recovery is not over, in time order."""
    since = run.now - timedelta(days=RECOVERY_DAYS)
    reports_not_clear = {
        row["session_external_id"]
        for row in run.plan.rows_of("reactions")
        if datetime.fromisoformat(row["reported_at"]) >= since
        and (row.get("red_flag") or row.get("severity") != ALL_CLEAR)
    }
    for row in sorted(run.plan.rows_of("sessions"), key=lambda row: row["performed_at"]):
        if row["action"] == Action.SKIP:
            continue
        if datetime.fromisoformat(row["performed_at"]) >= since:
            reason = "recent"
        elif row["external_id"] in reports_not_clear:
            reason = "report"
        else:
            continue
        run.plan.in_recovery.append(
            StillInRecovery(
                session_external_id=row["external_id"],
                patient_name=patient_names.get(row["patient_external_id"], row["patient_external_id"]),
                performed_at=row["performed_at"],
                reason=reason,
            )
        )
