"""From a recovery's stored rows to the rules' facts, and from the rules' assessment to its stored columns.

`services.recovery_assess` assesses one recovery as each write changes it. `recoveries_assess`
assesses many at once (the sweep catching up on missed check-ins, a release that changed the
rules) a chunk at a time, in the same few queries whatever the chunk holds. Both read the same
rows in the same order and turn them into facts with the same functions, so a recovery assessed
among many stores exactly what it would store assessed alone.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation

from treatments.chart import NEAR_THE_EYE, ZONES
from treatments.models import Area

from . import rules
from .models import (
    UNANSWERED_CALLS,
    CheckIn,
    CheckInStatus,
    FollowUp,
    GuideMessage,
    ReactionMark,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
)

# Recoveries locked, read and written together: a few hundred keep each query's list of keys short.
CHUNK = 500
# The columns `stored_assessment` fills.
STORED_FIELDS = ["findings", "attention_at", "unacknowledged_at", "overdue_at", "settled"]

# Findings follow the catalogue's order and the order flags were answered in; the keys settle ties,
# so the same rows always give the same findings in the same order.
REPORT_DETAILS = (
    Prefetch(
        "reactions",
        queryset=ReportedReaction.objects.select_related("reaction_type").order_by("reaction_type__position", "pk"),
    ),
    Prefetch("red_flag_answers", queryset=RedFlagAnswer.objects.select_related("question").order_by("pk")),
    Prefetch("marks", queryset=ReactionMark.objects.select_related("reaction_type", "red_flag").order_by("pk")),
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
        guides=GuideMessage.objects.filter(session=session),
        # A call that did not reach the patient is not news of them.
        staff_notes=recovery.follow_ups.exclude(action__in=UNANSWERED_CALLS).values_list("recorded_at", flat=True),
    )


def _facts(
    recovery: Recovery, *, reports: Iterable, check_ins: Iterable, guides: Iterable, staff_notes: Iterable
) -> rules.Facts:
    return rules.Facts(
        session_at=recovery.session.performed_at,
        reports=[_report_fact(report) for report in reports],
        check_ins=[_check_in_fact(check_in) for check_in in check_ins],
        guides=[_guide_fact(guide) for guide in guides],
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
        red_flags=tuple(
            rules.Named(a.question.staff_label, a.question.staff_label_fr)
            for a in report.red_flag_answers.all()
            if a.present
        ),
        wants_call=report.wants_call,
        recorded_at=report.created_at,
        marks=report_marks(report),
    )


def report_marks(report: ReactionReport) -> tuple[rules.Mark, ...]:
    """Where the report placed its reactions: the zones marked on the chart, then the areas staff
    ticked for a reaction, each with what the session treated when the report came in."""
    marks = [mark_fact(mark) for mark in report.marks.all()]
    for reaction in report.reactions.all():
        # Reported before reactions could be placed beyond the session's areas: within them.
        if reaction.treated_areas is None:
            continue
        marks += [
            rules.Mark(
                code=reaction.reaction_type.code,
                label=_catalogue_label(reaction.reaction_type),
                where=area,
                where_label=_in_both_languages(Area(area).label),
                treated=frozenset(reaction.treated_areas),
            )
            for area in reaction.areas
        ]
    return tuple(marks)


def mark_fact(mark: ReactionMark) -> rules.Mark:
    """A zone marked on the chart, with what the session treated when it was marked."""
    return rules.Mark(
        code=mark.code,
        label=_catalogue_label(mark.reaction_type or mark.red_flag),
        where=mark.zone,
        where_label=_in_both_languages(ZONES[mark.zone].label),
        treated=frozenset(mark.treated_zones),
        near_the_eye=mark.zone in NEAR_THE_EYE,
    )


def _catalogue_label(entry) -> rules.Named:
    return rules.Named(entry.staff_label, entry.staff_label_fr)


def _in_both_languages(label) -> rules.Named:
    """A label of the code (a zone's, an area's), stored in both languages as catalogue labels are."""
    with translation.override("en"):
        english = str(label)
    with translation.override("fr"):
        french = str(label)
    return rules.Named(english, french)


def _check_in_fact(check_in: CheckIn) -> rules.CheckIn:
    # A check-in whose e-mail went but whose text message failed still asked the patient.
    asked_at = min(filter(None, [check_in.sent_at, check_in.emailed_at, check_in.texted_at]), default=None)
    return rules.CheckIn(
        due_at=check_in.due_at,
        asked_at=asked_at,
        answered_at=check_in.answered_at,
        never_asked=asked_at is None and check_in.status in (CheckInStatus.CANCELLED, CheckInStatus.FAILED),
        not_reached_at=check_in.given_up_at if asked_at is None else None,
        email=check_in.email_result,
        text=check_in.text_result,
    )


def _guide_fact(guide: GuideMessage) -> rules.Guide:
    asked_at = min(filter(None, [guide.sent_at, guide.emailed_at, guide.texted_at]), default=None)
    return rules.Guide(
        asked_at=asked_at,
        not_reached_at=guide.given_up_at if asked_at is None else None,
        email=guide.email_result,
        text=guide.text_result,
    )


def stored_assessment(assessment: rules.Assessment) -> dict:
    """The recovery's columns that hold an assessment: its findings and the moments they start."""
    return {
        "findings": [f.stored() for f in assessment.findings],
        "attention_at": assessment.attention_at,
        "unacknowledged_at": assessment.unacknowledged_at,
        "overdue_at": assessment.overdue_at,
        "settled": assessment.settled,
    }


def recoveries_assess(*, pks: Iterable) -> int:
    """Apply the rules to these recoveries and store the results, as `services.recovery_assess` does
    one by one, in a fixed number of queries a chunk. Returns how many were assessed."""
    pks = sorted(set(pks))
    return sum(_assess_chunk(pks[start : start + CHUNK]) for start in range(0, len(pks), CHUNK))


@transaction.atomic
def _assess_chunk(pks: list) -> int:
    # Locked before their facts are read, as one recovery is, so a report arriving meanwhile is
    # either seen here or assessed after; in key order, so two runs at once cannot deadlock.
    recoveries = list(
        Recovery.objects.select_for_update(of=("self",))
        .select_related("session__clinic")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    reports, check_ins, guides, staff_notes = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for report in ReactionReport.objects.filter(session_id__in=pks).prefetch_related(*REPORT_DETAILS):
        reports[report.session_id].append(report)
    for check_in in CheckIn.objects.filter(session_id__in=pks):
        check_ins[check_in.session_id].append(check_in)
    for guide in GuideMessage.objects.filter(session_id__in=pks):
        guides[guide.session_id].append(guide)
    notes = FollowUp.objects.filter(recovery_id__in=pks).exclude(action__in=UNANSWERED_CALLS)
    for recovery_id, recorded_at in notes.values_list("recovery_id", "recorded_at"):
        staff_notes[recovery_id].append(recorded_at)
    catalogues: dict = defaultdict(dict)
    for reaction_type in ReactionType.objects.filter(clinic_id__in={r.session.clinic_id for r in recoveries}):
        catalogues[reaction_type.clinic_id][reaction_type.code] = reaction_type.as_rule()
    changed = []
    for recovery in recoveries:
        facts = _facts(
            recovery,
            reports=reports[recovery.pk],
            check_ins=check_ins[recovery.pk],
            guides=guides[recovery.pk],
            staff_notes=staff_notes[recovery.pk],
        )
        stored = stored_assessment(rules.assess(facts, catalogues[recovery.session.clinic_id]))
        if any(getattr(recovery, name) != value for name, value in stored.items()):
            for name, value in stored.items():
                setattr(recovery, name, value)
            changed.append(recovery)
    # Each write already stored its own assessment, so most are found right and left as they are:
    # a safety net that finds nothing writes nothing. Derived data: no entry in the change history.
    Recovery.objects.bulk_update(changed, STORED_FIELDS)
    return len(recoveries)
