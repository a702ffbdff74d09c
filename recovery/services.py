"""Writes for recoveries: reports, follow-ups, complications, closure and the catalogue.

Every write that can change a recovery's status re-assesses it in the same
transaction, so the stored moments the dashboard compares with the clock are
never stale.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from clinics.models import Clinic
from events import services as events
from events.models import EventKind
from messaging import handoff
from treatments.models import Area, TreatmentSession

from . import defaults, notifications, rules, tallies
from .assessment import catalogue_rules, facts_of, stored_assessment
from .marks import MarkEntry, mark_problems, marks_store
from .models import (
    UNANSWERED_CALLS,
    CloseOutcome,
    FollowUp,
    ReactionKind,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    RedFlagQuestion,
    ReportedReaction,
    ReportSource,
)
from .rules import Status

REPORT_BEFORE_SESSION = _("A report cannot describe a moment before the session.")
REPORT_IN_FUTURE = _("A report cannot describe a moment in the future.")
PAIN_SCORE_WITHOUT_PAIN_QUESTION = _("This reaction does not take a pain score.")
REACTION_OF_ANOTHER_CLINIC = _("This reaction is not in the clinic's catalogue.")
UNKNOWN_AREA = _("Choose an area from the list.")
ALREADY_CLOSED = _("This recovery is already closed.")
UNKNOWN_OUTCOME = _("Choose an outcome from the list.")


@dataclass(frozen=True)
class ReactionEntry:
    reaction_type: ReactionType
    severity: int
    pain_score: int | None = None
    areas: tuple[str, ...] = ()


def catalogue_install_defaults(*, clinic: Clinic) -> None:
    """Give a clinic the default reactions and red-flag questions it does not have yet."""
    have_reactions = set(clinic.reaction_types.values_list("code", flat=True))
    bulk_create_with_history(
        [
            ReactionType(clinic=clinic, position=position, **row)
            for position, row in enumerate(defaults.REACTION_TYPES)
            if row["code"] not in have_reactions
        ],
        ReactionType,
    )
    have_questions = set(clinic.red_flag_questions.values_list("code", flat=True))
    bulk_create_with_history(
        [
            RedFlagQuestion(clinic=clinic, position=position, **row)
            for position, row in enumerate(defaults.RED_FLAG_QUESTIONS)
            if row["code"] not in have_questions
        ],
        RedFlagQuestion,
    )


@transaction.atomic
def recovery_assess(*, recovery: Recovery) -> Recovery:
    """Apply the rules to everything known of this recovery and store the result.

    The row is locked so that two reports arriving together cannot each store an
    assessment that misses the other.
    """
    recovery = Recovery.objects.select_for_update(of=("self",)).select_related("session__clinic").get(pk=recovery.pk)
    assessment = rules.assess(facts_of(recovery), catalogue_rules(recovery.session.clinic_id))
    for name, value in stored_assessment(assessment).items():
        setattr(recovery, name, value)
    # The assessment is derived data; the change history keeps what staff did.
    recovery.skip_history_when_saving = True
    recovery.save()
    del recovery.skip_history_when_saving
    return recovery


def report_time_problem(reported_at: datetime, *, session: TreatmentSession) -> str | None:
    if reported_at < session.performed_at:
        return str(REPORT_BEFORE_SESSION)
    if reported_at > timezone.now():
        return str(REPORT_IN_FUTURE)
    return None


@transaction.atomic
def report_create(
    *,
    session: TreatmentSession,
    reported_at: datetime,
    reactions: list[ReactionEntry],
    red_flags_present: list[RedFlagQuestion],
    red_flags_asked: list[RedFlagQuestion],
    wants_call: bool,
    note: str = "",
    source: str,
    recorded_by=None,
    unanswered: Sequence[str] = (),
    marks: Sequence[MarkEntry] = (),
) -> ReactionReport:
    """Store a report as it came. A reaction placed beyond the session's areas or zones is kept, never
    refused: it is a finding of the rules, answered as a red flag is."""
    errors: dict[str, list[str]] = {}
    if problem := report_time_problem(reported_at, session=session):
        errors["reported_at"] = [problem]
    for entry in reactions:
        if entry.reaction_type.clinic_id != session.clinic_id:
            errors.setdefault("reactions", []).append(str(REACTION_OF_ANOTHER_CLINIC))
        if entry.pain_score is not None and not entry.reaction_type.asks_pain_score:
            errors.setdefault("reactions", []).append(str(PAIN_SCORE_WITHOUT_PAIN_QUESTION))
        if not set(entry.areas) <= set(Area.values):
            errors.setdefault("reactions", []).append(str(UNKNOWN_AREA))
    if any(q.clinic_id != session.clinic_id for q in [*red_flags_asked, *red_flags_present]):
        errors.setdefault("red_flags", []).append(str(REACTION_OF_ANOTHER_CLINIC))
    reacted = {entry.reaction_type.pk for entry in reactions if entry.severity}
    if problems := mark_problems(marks, reacted=reacted, flagged={q.pk for q in red_flags_present}):
        errors["marks"] = problems
    if errors:
        raise ValidationError(errors)

    report = ReactionReport.objects.create(
        session=session,
        clinic_id=session.clinic_id,
        reported_at=reported_at,
        source=source,
        recorded_by=recorded_by if source == ReportSource.STAFF else None,
        wants_call=wants_call,
        note=note,
        unanswered=list(unanswered),
    )
    answers_store(
        report=report, reactions=reactions, red_flags_present=red_flags_present, asked=red_flags_asked, marks=marks
    )
    return report


def answers_store(
    *, report: ReactionReport, reactions, red_flags_present, asked, event_key: str = "", marks=()
) -> None:
    """Store a report's answers and act on them: the recovery assessed, staff told of what it raised."""
    session = report.session
    # What the session treated as the reactions were placed, judged against later whatever it says then.
    treated_areas = sorted(session.areas.values_list("area", flat=True)) if any(e.areas for e in reactions) else None
    ReportedReaction.objects.bulk_create(
        ReportedReaction(
            report=report,
            reaction_type=entry.reaction_type,
            severity=entry.severity,
            pain_score=entry.pain_score,
            areas=list(entry.areas),
            treated_areas=treated_areas if entry.areas else None,
        )
        for entry in reactions
    )
    marks_store(report=report, marks=marks)
    present = {q.pk for q in red_flags_present}
    # A flag reported present is stored even if the caller forgot to list it as asked.
    asked = {q.pk: q for q in [*asked, *red_flags_present]}
    RedFlagAnswer.objects.bulk_create(
        RedFlagAnswer(report=report, question=q, present=q.pk in present) for q in asked.values()
    )
    recovery = recovery_assess(recovery=Recovery.objects.open_for(session))
    complication_reported = present or any(
        entry.severity and entry.reaction_type.kind == ReactionKind.CONCERNING for entry in reactions
    )
    if complication_reported and not recovery.patient_reported:
        Recovery.objects.filter(pk=recovery.pk).update(patient_reported=True)
        tallies.tallies_recount(recoveries=Recovery.objects.filter(pk=recovery.pk))
    elif marks:
        tallies.tallies_recount_zones(recoveries=Recovery.objects.filter(pk=recovery.pk))
    alarms = recovery.assessment().alarms_learnt_at(max(report.reported_at, report.created_at))
    if alarms:
        # Derived from the report, not an edit of it: no second entry in its change history.
        ReactionReport.objects.filter(pk=report.pk).update(needs_clinician=True)
        report.needs_clinician = True
        notifications.notify_alarms(report=report, alarms=alarms, event_key=event_key)
        # Told now: the sweep must not tell the same alarm again.
        if recovery.unacknowledged_at in {f.since for f in alarms}:
            Recovery.objects.filter(pk=recovery.pk).update(notified_attention_at=recovery.unacknowledged_at)
            events.events_record(
                [
                    events.recovery_changed(
                        kind=EventKind.NEEDS_ATTENTION,
                        clinic_id=recovery.clinic_id,
                        session_id=recovery.pk,
                        since=recovery.unacknowledged_at,
                    )
                ]
            )
    # Whether the report completes a cluster on a batch is the audit's question, asked after commit.
    handoff.after_commit(handoff.BATCH_CLUSTER_DETECTION, [report.pk])


@transaction.atomic
def follow_up_create(
    *, recovery: Recovery, action: str, note: str, recorded_by, seen_at: datetime | None = None
) -> FollowUp:
    """Record what staff did; it acknowledges what needed attention when they looked.

    `seen_at` is when the page they acted on was drawn: a report that arrived while
    they were typing is not theirs to acknowledge, and stays unacknowledged. A call
    that did not reach the patient acknowledges nothing: the recovery keeps waiting
    for someone, with the attempt counted.
    """
    now = timezone.now()
    follow_up = FollowUp.objects.create(
        recovery=recovery, action=action, note=note, recorded_by=recorded_by, recorded_at=now
    )
    if action in UNANSWERED_CALLS:
        return follow_up
    acknowledged_until = min(seen_at or now, now)
    locked = Recovery.objects.select_for_update(of=("self",)).get(pk=recovery.pk)
    if locked.acknowledged_at is None or acknowledged_until > locked.acknowledged_at:
        locked.acknowledged_at = acknowledged_until
        locked.save(update_fields=["acknowledged_at"])
    recovery_assess(recovery=locked)
    return follow_up


def can_close(recovery: Recovery, *, now: datetime | None = None) -> bool:
    """Open, or closed but reopened by news that came after the closure."""
    return recovery.closed_at is None or recovery.status_at(now) != Status.RESOLVED


@transaction.atomic
def recovery_close(*, recovery: Recovery, outcome: str, note: str, closed_by) -> Recovery:
    recovery = Recovery.objects.select_for_update(of=("self",)).get(pk=recovery.pk)
    if not can_close(recovery):
        raise ValidationError(str(ALREADY_CLOSED))
    if outcome not in CloseOutcome.values:
        raise ValidationError({"outcome": [str(UNKNOWN_OUTCOME)]})
    recovery.closed_at = timezone.now()
    recovery.closed_by = closed_by
    recovery.closing_outcome = outcome
    recovery.closing_note = note
    recovery.save(update_fields=["closed_at", "closed_by", "closing_outcome", "closing_note"])
    return recovery_assess(recovery=recovery)


@transaction.atomic
def reaction_type_update(*, reaction_type: ReactionType, changed_by) -> ReactionType:
    """Save a catalogue change and move the deadlines of every open recovery it touches."""
    reaction_type._history_user = changed_by
    reaction_type.full_clean()
    reaction_type.save()
    reported = Recovery.objects.filter(
        clinic_id=reaction_type.clinic_id, session__reports__reactions__reaction_type=reaction_type
    )
    for recovery in reported.filter(closed_at__isnull=True).distinct():
        recovery_assess(recovery=recovery)
    # A reaction newly called concerning (or no longer) changes what the audit counts as reported.
    patient_reported_refresh(recoveries=reported)
    return reaction_type


def patient_reported_refresh(*, recoveries) -> None:
    """Recount, in one statement, whether a concerning reaction or a red flag was reported."""
    concerning = ReportedReaction.objects.filter(
        report__session_id=OuterRef("session_id"), severity__gt=0, reaction_type__kind=ReactionKind.CONCERNING
    )
    flagged = RedFlagAnswer.objects.filter(report__session_id=OuterRef("session_id"), present=True)
    Recovery.objects.filter(pk__in=recoveries.values("pk")).update(
        patient_reported=Exists(concerning) | Exists(flagged)
    )
    tallies.tallies_recount(recoveries=recoveries)


@transaction.atomic
def red_flag_question_update(*, question: RedFlagQuestion, changed_by) -> RedFlagQuestion:
    """Save a change of wording; open recoveries that cite the flag are re-worded with it."""
    question._history_user = changed_by
    question.full_clean()
    question.save()
    affected = Recovery.objects.filter(
        closed_at__isnull=True, session__reports__red_flag_answers__question=question
    ).distinct()
    for recovery in affected:
        recovery_assess(recovery=recovery)
    return question
