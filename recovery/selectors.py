from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinics.scoping import clinic_ids_of
from treatments.chart_marks import ChartMark
from treatments.models import TreatmentSession

from . import assessment, rules
from .findings import Reason
from .models import (
    UNANSWERED_CALLS,
    CheckIn,
    CheckInStatus,
    Complication,
    FollowUp,
    GuideMessage,
    Notification,
    ReactionKind,
    ReactionMark,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    RedFlagQuestion,
    ReportedReaction,
    ReportSource,
)
from .rules import DAYS_FROM_HOURS, Severity


@dataclass(frozen=True)
class ReactionWindow:
    """A reaction's expected course drawn against the time since the session.

    Percentages place each moment on one bar whose length is the longest of the
    windows and the time elapsed, so every bar of a session shares one scale.
    """

    label: str
    severity_label: str
    present: bool
    fades_by_hours: int
    attention_after_hours: int | None
    elapsed_hours: float
    scale_hours: float

    def _percent(self, hours: float) -> float:
        return round(min(hours, self.scale_hours) / self.scale_hours * 100, 1)

    @property
    def fades_percent(self) -> float:
        return self._percent(self.fades_by_hours)

    @property
    def attention_percent(self) -> float:
        return self._percent(self.attention_after_hours if self.attention_after_hours else self.scale_hours)

    @property
    def elapsed_percent(self) -> float:
        return self._percent(self.elapsed_hours)

    @property
    def past_window(self) -> bool:
        return self.present and self.elapsed_hours > self.fades_by_hours


@dataclass(frozen=True)
class MarkedAlerts:
    """What a report's marks told the patient to do: call the emergency services (a colour change near
    the eye), or the clinic now (a reaction beyond the treated area)."""

    emergency: bool
    call_now: bool


def marked_alerts(*, report: ReactionReport) -> MarkedAlerts:
    report = ReactionReport.objects.prefetch_related(*assessment.REPORT_DETAILS).get(pk=report.pk)
    codes = {f.code for f in rules.mark_findings(assessment.report_marks(report), report.reported_at)}
    return MarkedAlerts(emergency=Reason.COLOUR_NEAR_THE_EYE in codes, call_now=Reason.OUTSIDE_TREATED in codes)


def session_marks(*, session: TreatmentSession, reports: Sequence[ReactionReport]) -> list[ChartMark]:
    """Where the session's reports (all of them, as `session_reports` reads them) marked reactions and
    red flags on its chart, in the order they were reported, numbered from 1, each judged beyond the
    treated zones or not as the rules judge it: one query, none without a report."""
    if not reports:
        return []
    reports_by_pk = {report.pk: report for report in reports}
    marks = list(
        ReactionMark.objects.filter(report__session=session)
        .select_related("reaction_type", "red_flag")
        .order_by("report__reported_at", "report__created_at", "pk")
    )
    for mark in marks:
        mark.report = reports_by_pk[mark.report_id]
    return [
        ChartMark(
            number=number,
            diagram=mark.diagram,
            zone=mark.zone,
            x=mark.x,
            y=mark.y,
            label=mark.reaction_type.staff_text
            if mark.reaction_type
            else _("Red flag: %(flag)s") % {"flag": mark.red_flag.staff_text},
            reported_at=mark.report.reported_at,
            by_patient=mark.report.source == ReportSource.PATIENT,
            recorded_by=str(mark.report.recorded_by or ""),
            beyond_treated=any(
                finding.code == Reason.OUTSIDE_TREATED
                for finding in rules.mark_findings([assessment.mark_fact(mark)], mark.report.reported_at)
            ),
        )
        for number, mark in enumerate(marks, start=1)
    ]


def recovery_for_session(*, session: TreatmentSession) -> Recovery:
    return Recovery.objects.select_related("closed_by").get(session=session)


def session_reports(*, session: TreatmentSession):
    return session.reports.select_related("recorded_by").prefetch_related(
        Prefetch(
            "reactions",
            queryset=ReportedReaction.objects.select_related("reaction_type").order_by("reaction_type__position"),
        ),
        Prefetch(
            "red_flag_answers",
            queryset=RedFlagAnswer.objects.filter(present=True).select_related("question"),
            to_attr="red_flags_present",
        ),
    )


def reaction_windows(
    *, session: TreatmentSession, reports: list[ReactionReport], now: datetime
) -> list[ReactionWindow]:
    """One window per reaction ever reported present, as the latest report has it (as the rules read it)."""
    ordered = sorted(reports, key=lambda r: r.reported_at)
    # Each reaction's type came with it (`session_reports`): the catalogue is not asked again.
    types = {r.reaction_type_id: r.reaction_type for report in ordered for r in report.reactions.all() if r.severity}
    ever_present = set(types)
    if not ever_present:
        return []
    in_latest = {r.reaction_type_id: r for r in ordered[-1].reactions.all()}
    elapsed = max((now - session.performed_at).total_seconds() / 3600, 0)
    scale = max(
        [elapsed]
        + [t.fades_by_hours for t in types.values()]
        + [t.attention_after_hours for t in types.values() if t.attention_after_hours]
    )
    windows = []
    for type_id in sorted(ever_present, key=lambda pk: types[pk].position):
        latest = in_latest.get(type_id)
        present = latest is not None and latest.severity > Severity.NONE
        windows.append(
            ReactionWindow(
                label=types[type_id].staff_text,
                severity_label=latest.get_severity_display() if present else "",
                present=present,
                fades_by_hours=types[type_id].fades_by_hours,
                attention_after_hours=types[type_id].attention_after_hours,
                elapsed_hours=elapsed,
                scale_hours=scale * 1.1,
            )
        )
    return windows


def with_unanswered_calls(recoveries):
    """Each recovery's calls that reached nobody since staff last acknowledged it (or since the
    session), counted, with the latest one's outcome: "2 calls, no answer"."""
    since_acknowledged = FollowUp.objects.filter(
        recovery_id=OuterRef("pk"),
        action__in=UNANSWERED_CALLS,
        recorded_at__gt=Coalesce(OuterRef("acknowledged_at"), OuterRef("performed_at")),
    )
    counted = since_acknowledged.order_by().values("recovery_id").annotate(calls=Count("pk")).values("calls")
    return recoveries.annotate(
        unanswered_calls=Coalesce(Subquery(counted), 0),
        last_unanswered_call=Subquery(since_acknowledged.order_by("-recorded_at").values("action")[:1]),
    )


def recovery_with_calls(*, session: TreatmentSession) -> Recovery:
    return with_unanswered_calls(Recovery.objects.select_related("closed_by").filter(session=session)).get()


def follow_ups_of(*, recovery: Recovery):
    return FollowUp.objects.filter(recovery=recovery).select_related("recorded_by")


def complications_of(*, recovery: Recovery) -> list[Complication]:
    """The recovery's complications, each given the recovery (and its session, which their onset is
    counted from) rather than reading them again."""
    complications = list(Complication.objects.filter(recovery=recovery).select_related("recorded_by"))
    for complication in complications:
        complication.recovery = recovery
    return complications


def notifications_of(*, user):
    """The user's notifications about clinics they still work at."""
    return Notification.objects.filter(recipient=user, recovery__clinic_id__in=clinic_ids_of(user)).select_related(
        "recovery__session__patient", "recovery__session__clinic"
    )


def unread_notification_count(*, user) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def check_ins_of(*, session):
    return CheckIn.objects.filter(session=session).order_by("due_at")


def guide_messages_of(*, session):
    return GuideMessage.objects.filter(session=session).select_related("requested_by").order_by("created_at")


def catalogue_of(*, clinic_ids):
    return ReactionType.objects.filter(clinic_id__in=clinic_ids).select_related("clinic")


def recovery_panel(*, session: TreatmentSession, now: datetime) -> dict:
    """Everything the session page shows of the recovery: status, reasons, timeline, actions."""
    from .services import can_close

    recovery = Recovery.objects.select_related("closed_by").get(session=session)
    recovery.session = session
    follow_ups = list(follow_ups_of(recovery=recovery))
    # Counted from the follow-ups the page lists, where the dashboard's query counts them in SQL.
    calls = recovery.unanswered_calls_among(follow_ups)
    recovery.unanswered_calls = len(calls)
    recovery.last_unanswered_call = calls[-1].action if calls else None
    reports = list(session_reports(session=session))
    return {
        "recovery": recovery,
        "status": recovery.status_at(now),
        "reasons": recovery.reasons_at(now),
        "followed_up": recovery.is_followed_up_at(now),
        "can_close": can_close(recovery, now=now),
        "reports": reports,
        "windows": reaction_windows(session=session, reports=reports, now=now),
        "follow_ups": follow_ups,
        "complications": complications_of(recovery=recovery),
        "check_ins": check_ins_of(session=session),
        "guide_messages": guide_messages_of(session=session),
    }


def window_for_patients(hours: int) -> str:
    """A window as the patient's guide says it: "48 hours", "10 days" (in days from where staff read days)."""
    if hours < DAYS_FROM_HOURS:
        return ngettext("%(hours)s hour", "%(hours)s hours", hours) % {"hours": hours}
    days, rest = divmod(hours, 24)
    if rest:
        return _("%(days)s and %(hours)s") % {
            "days": ngettext("%(days)s day", "%(days)s days", days) % {"days": days},
            "hours": ngettext("%(hours)s hour", "%(hours)s hours", rest) % {"hours": rest},
        }
    return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}


@dataclass(frozen=True)
class GuideReaction:
    wording: str
    lasts: str
    # Empty when neither time nor change makes the reaction a reason to call.
    call_if: str


@dataclass(frozen=True)
class RecoveryGuide:
    areas: list[str]
    expected: list[GuideReaction]
    concerning: list[GuideReaction]
    aftercare: list[str]
    emergency_signs: list[str]
    clinic_signs: list[str]
    check_ins: list[datetime]


def _when_to_call(reaction_type: ReactionType) -> str:
    """The catalogue's reasons for attention, in the patient's words: the same figures the rules apply."""
    still_there, pain, late = (
        reaction_type.attention_after_hours,
        reaction_type.attention_pain_score,
        reaction_type.new_onset_attention_after_hours,
    )
    reasons = []
    if reaction_type.attention_when_worse:
        reasons.append(_("it gets worse instead of better"))
    if still_there:
        reasons.append(_("it is still there after %(window)s") % {"window": window_for_patients(still_there)})
    if pain:
        reasons.append(_("the pain reaches %(score)s out of 10 or more") % {"score": pain})
    if late:
        reasons.append(
            _("it first appears %(window)s or more after your treatment") % {"window": window_for_patients(late)}
        )
    if not reasons:
        return ""
    if len(reasons) > 1:
        reasons = [_("%(some)s or %(last)s") % {"some": ", ".join(reasons[:-1]), "last": reasons[-1]}]
    return _("Call the clinic if %(reasons)s.") % {"reasons": reasons[0]}


def recovery_guide(*, session: TreatmentSession) -> RecoveryGuide:
    """What the patient's recovery guide says: the clinic's catalogue in the patient's words and the
    session's own record (areas, aftercare ticked, check-ins still to come). Nothing only staff read:
    no product, batch, practitioner or note."""
    reactions = [
        (
            reaction_type.kind,
            GuideReaction(
                wording=reaction_type.patient_text,
                lasts=window_for_patients(reaction_type.fades_by_hours),
                call_if=_when_to_call(reaction_type),
            ),
        )
        for reaction_type in ReactionType.objects.filter(clinic_id=session.clinic_id)
    ]
    flags = list(RedFlagQuestion.objects.filter(clinic_id=session.clinic_id))
    return RecoveryGuide(
        areas=[str(area) for area in session.areas.all()],
        expected=[reaction for kind, reaction in reactions if kind == ReactionKind.EXPECTED],
        concerning=[reaction for kind, reaction in reactions if kind == ReactionKind.CONCERNING],
        aftercare=session.aftercare_labels,
        emergency_signs=[flag.patient_text for flag in flags if flag.emergency],
        clinic_signs=[flag.patient_text for flag in flags if not flag.emergency],
        check_ins=list(
            session.check_ins.filter(status__in=[CheckInStatus.PLANNED, CheckInStatus.SENDING])
            .order_by("due_at")
            .values_list("due_at", flat=True)
        ),
    )
