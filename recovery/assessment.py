"""From a recovery's stored rows to the rules' facts, and from the rules' assessment to its stored columns."""

from collections.abc import Iterable

from django.db.models import Prefetch

from . import rules
from .models import (
    UNANSWERED_CALLS,
    CheckIn,
    CheckInStatus,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
)

# Findings follow the catalogue's order and the order flags were answered in; the keys settle ties,
# so the same rows always give the same findings in the same order.
REPORT_DETAILS = (
    Prefetch(
        "reactions",
        queryset=ReportedReaction.objects.select_related("reaction_type").order_by("reaction_type__position", "pk"),
    ),
    Prefetch("red_flag_answers", queryset=RedFlagAnswer.objects.select_related("question").order_by("pk")),
)


def catalogue_rules(clinic_id) -> dict[str, rules.ReactionRule]:
    return {t.code: t.as_rule() for t in ReactionType.objects.filter(clinic_id=clinic_id)}


def facts_of(recovery: Recovery) -> rules.Facts:
    """Everything known of one recovery; `recovery.session.clinic` is read, so select it with the recovery."""
    session = recovery.session
    return _facts(
        recovery,
        reports=session.reports.prefetch_related(*REPORT_DETAILS),
        check_ins=CheckIn.objects.filter(session=session),
        # A call that did not reach the patient is not news of them.
        staff_notes=recovery.follow_ups.exclude(action__in=UNANSWERED_CALLS).values_list("recorded_at", flat=True),
    )


def _facts(recovery: Recovery, *, reports: Iterable, check_ins: Iterable, staff_notes: Iterable) -> rules.Facts:
    return rules.Facts(
        session_at=recovery.session.performed_at,
        reports=[_report_fact(report) for report in reports],
        check_ins=[_check_in_fact(check_in) for check_in in check_ins],
        staff_notes=list(staff_notes),
        acknowledged_at=recovery.acknowledged_at,
        closed_at=recovery.closed_at,
        zone=recovery.session.clinic.zone,
    )


def _report_fact(report: ReactionReport) -> rules.Report:
    return rules.Report(
        reported_at=report.reported_at,
        observations=tuple(
            rules.Observation(r.reaction_type.code, r.severity, r.pain_score) for r in report.reactions.all()
        ),
        red_flags=tuple(a.question.staff_label for a in report.red_flag_answers.all() if a.present),
        wants_call=report.wants_call,
        recorded_at=report.created_at,
    )


def _check_in_fact(check_in: CheckIn) -> rules.CheckIn:
    # A check-in whose e-mail went but whose text message failed still asked the patient.
    asked_at = min(filter(None, [check_in.sent_at, check_in.emailed_at, check_in.texted_at]), default=None)
    return rules.CheckIn(
        due_at=check_in.due_at,
        asked_at=asked_at,
        answered_at=check_in.answered_at,
        never_asked=asked_at is None and check_in.status in (CheckInStatus.CANCELLED, CheckInStatus.FAILED),
    )


def stored_assessment(assessment: rules.Assessment) -> dict:
    """The recovery's columns that hold an assessment: its findings and the moments they start."""
    return {
        "findings": [
            {"level": f.level, "reason": f.reason, "since": f.since.isoformat(), "subject": f.subject}
            for f in assessment.findings
        ],
        "attention_at": assessment.attention_at,
        "unacknowledged_at": assessment.unacknowledged_at,
        "overdue_at": assessment.overdue_at,
        "settled": assessment.settled,
    }
