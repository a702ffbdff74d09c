"""Writing an import's past reactions and confirmed complications: history, recorded by staff on
the patient's behalf (the importing manager), kept as it happened and counted in the audit.

Reactions are keyed by session, time and sign, complications by session, type and onset, as
columns.py says: a second import of the same file finds them and adds nothing.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef

from recovery.models import (
    SERIOUSNESS,
    Complication,
    ReactionKind,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    RedFlagQuestion,
    ReportedReaction,
    ReportSource,
)
from recovery.rules import Severity

from .writing_rows import BATCH_SIZE, Tally, in_batches


def _severity(value) -> int:
    if value in (None, ""):
        return Severity.NONE
    if isinstance(value, str) and not value.isdigit():
        return Severity[value.strip().upper()]
    return int(value)


def reactions_write(*, clinic, recorded_by, rows: list[dict], sessions: dict, tally: Tally, progress) -> set:
    """One report per session and time, with its reactions and red flags; returns the sessions reported on."""
    reaction_types = dict(ReactionType.objects.filter(clinic=clinic).values_list("code", "pk"))
    questions = dict(RedFlagQuestion.objects.filter(clinic=clinic).values_list("code", "pk"))
    reports: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get("action") == "skip":
            tally.add("reactions", "skipped")
            continue
        reports[(sessions[row["session_external_id"]], row["reported_at"])].append(row)
    reported = set()
    for batch in in_batches(list(reports.items())):
        session_ids = {session_id for (session_id, _at), _lines in batch}
        reported |= session_ids
        existing = {
            (session_id, at): pk
            for pk, session_id, at in ReactionReport.objects.filter(session_id__in=session_ids).values_list(
                "pk", "session_id", "reported_at"
            )
        }
        new_reports, reactions, flags = [], [], []
        for (session_id, at), lines in batch:
            report_id = existing.get((session_id, at))
            tally.add("reactions", "skipped" if report_id else "created", len(lines))
            if report_id is None:
                notes = dict.fromkeys(line["note"].strip() for line in lines if line.get("note"))
                report = ReactionReport(
                    session_id=session_id,
                    clinic=clinic,
                    reported_at=at,
                    source=ReportSource.STAFF,
                    recorded_by=recorded_by,
                    note="\n".join(notes),
                )
                new_reports.append(report)
                report_id = report.pk
            for line in lines:
                if line.get("reaction"):
                    reactions.append(
                        ReportedReaction(
                            report_id=report_id,
                            reaction_type_id=reaction_types[line["reaction"]],
                            severity=_severity(line.get("severity")),
                        )
                    )
                if line.get("red_flag"):
                    flags.append(
                        RedFlagAnswer(report_id=report_id, question_id=questions[line["red_flag"]], present=True)
                    )
        ReactionReport.objects.bulk_create(new_reports, batch_size=BATCH_SIZE)
        # A line already brought in by an earlier import of the file is left as it is.
        ReportedReaction.objects.bulk_create(reactions, batch_size=BATCH_SIZE, ignore_conflicts=True)
        RedFlagAnswer.objects.bulk_create(flags, batch_size=BATCH_SIZE, ignore_conflicts=True)
        tally.add("reports", "created", len(new_reports))
        progress(sum(len(lines) for _key, lines in batch))
    return reported


def _seriousness(codes) -> dict[str, bool]:
    ticked = {code if code.startswith("serious_") else f"serious_{code}" for code in codes or ()}
    return {field: field in ticked for field in SERIOUSNESS}


def complications_write(*, recorded_by, rows: list[dict], source: str, sessions: dict, tally: Tally, progress) -> set:
    """Each confirmed complication once; returns the sessions that have one."""
    confirmed = set()
    for batch in in_batches(rows):
        session_ids = {sessions[row["session_external_id"]] for row in batch}
        confirmed |= session_ids
        existing = set(
            Complication.objects.filter(recovery_id__in=session_ids).values_list(
                "recovery_id", "complication_type", "onset_at"
            )
        )
        new = []
        for row in batch:
            session_id = sessions[row["session_external_id"]]
            key = (session_id, row["complication_type"], row["onset_at"])
            if row.get("action") == "skip" or key in existing:
                tally.add("complications", "skipped")
                continue
            existing.add(key)
            new.append(
                Complication(
                    recovery_id=session_id,
                    complication_type=row["complication_type"],
                    onset_at=row["onset_at"],
                    grade=row.get("grade"),
                    outcome=row.get("outcome") or Complication._meta.get_field("outcome").default,
                    resolved_on=row.get("resolved_on"),
                    treatments_given=list(row.get("treatments_given") or ()),
                    note=row.get("note") or "",
                    recorded_by=recorded_by,
                    source=source or "-",
                    **_seriousness(row.get("seriousness")),
                )
            )
            tally.add("complications", "created")
        Complication.objects.bulk_create(new, batch_size=BATCH_SIZE)
        progress(len(batch))
    return confirmed


def counted_as_reported_or_confirmed(*, session_ids) -> None:
    """What the audit counts of these sessions' recoveries, in one statement per batch: a concerning
    reaction or a red flag reported, a complication confirmed."""
    concerning = ReportedReaction.objects.filter(
        report__session_id=OuterRef("session_id"), severity__gt=0, reaction_type__kind=ReactionKind.CONCERNING
    )
    flagged = RedFlagAnswer.objects.filter(report__session_id=OuterRef("session_id"), present=True)
    complications = Complication.objects.filter(recovery_id=OuterRef("session_id"))
    for batch in in_batches(sorted(session_ids, key=str)):
        Recovery.objects.filter(pk__in=batch).update(
            patient_reported=Exists(concerning) | Exists(flagged), clinician_confirmed=Exists(complications)
        )
