"""A patient's reactions across the sessions of their series: which, how strong, how long.

The brief's source says skin usually reacts less after the second or third session; this is what
lets staff see whether it does for this patient, on the patient's page and beside the form of the
next session.
"""

from dataclasses import dataclass, field
from datetime import datetime

from patients.models import Patient
from treatments.models import TreatmentSession

from .findings import in_language
from .models import ReactionReport, ReactionType, RedFlagAnswer, ReportedReaction
from .rules import Severity

# The chart: one group of bars per session, one bar per reaction, its height the severity.
BAR_WIDTH, BAR_GAP, GROUP_GAP, CHART_HEIGHT, LABEL_HEIGHT = 8, 2, 14, 60, 16
# Distinct colours in app.css (history-bar.reaction-N); the legend and the table name each one.
COLOURS = 8


@dataclass(frozen=True)
class ReactionCourse:
    code: str
    label: str
    severity: int
    severity_label: str
    # Hours from the session to the report that found it gone, or to the last report that found it.
    hours: float | None
    gone: bool


@dataclass
class SessionReactions:
    session: TreatmentSession
    reported: bool = False
    courses: dict[str, ReactionCourse] = field(default_factory=dict)
    # One per reaction of the catalogue, in its order: the table's row.
    cells: list[ReactionCourse | None] = field(default_factory=list)
    # What mattered beyond the reactions: the red flags reported, and whether the patient asked to be called.
    red_flags: list[str] = field(default_factory=list)
    asked_to_be_called: bool = False

    def course_of(self, code: str) -> ReactionCourse | None:
        return self.courses.get(code)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    css_class: str
    title: str


@dataclass(frozen=True)
class History:
    sessions: list[SessionReactions]
    reaction_types: list[ReactionType]
    bars: list[Bar]
    group_labels: list[tuple[float, str]]
    legend: list[tuple[str, str]]
    chart_width: float
    chart_height: int = CHART_HEIGHT + LABEL_HEIGHT

    @property
    def previous(self) -> SessionReactions | None:
        return self.sessions[-1] if self.sessions else None


def _course(observed: list[tuple[datetime, int]], session_at: datetime, reaction_type) -> ReactionCourse | None:
    present = [(at, severity) for at, severity in observed if severity > Severity.NONE]
    if not present:
        return None
    last_present = max(at for at, _severity in present)
    gone_at = min((at for at, severity in observed if severity == Severity.NONE and at > last_present), default=None)
    until = gone_at or last_present
    strongest = max(severity for _at, severity in present)
    return ReactionCourse(
        code=reaction_type.code,
        label=reaction_type.staff_text,
        severity=strongest,
        severity_label=Severity(strongest).label,
        hours=round((until - session_at).total_seconds() / 3600, 1),
        gone=gone_at is not None,
    )


def reaction_history(*, patient: Patient, up_to: TreatmentSession | None = None) -> History:
    """Every session of the patient (up to the one the next is logged after), in order, in a few
    queries whatever the number of sessions and reports."""
    sessions = patient.sessions.select_related("clinic", "patient").order_by("performed_at", "created_at")
    if up_to is not None:
        sessions = sessions.filter(performed_at__lte=up_to.performed_at)
    rows = {session.pk: SessionReactions(session=session) for session in sessions}
    reaction_types = list(ReactionType.objects.filter(clinic_id=patient.clinic_id).order_by("position", "pk"))
    observed: dict = {}
    for reported in ReportedReaction.objects.filter(report__session_id__in=rows).values_list(
        "report__session_id", "reaction_type_id", "report__reported_at", "severity"
    ):
        session_id, type_id, at, severity = reported
        rows[session_id].reported = True
        observed.setdefault((session_id, type_id), []).append((at, severity))
    for session_id, wants_call in ReactionReport.objects.filter(session_id__in=rows).values_list(
        "session_id", "wants_call"
    ):
        rows[session_id].reported = True
        rows[session_id].asked_to_be_called |= wants_call
    for session_id, english, french in (
        RedFlagAnswer.objects.filter(report__session_id__in=rows, present=True)
        .order_by("question__position", "question_id")
        .values_list("report__session_id", "question__staff_label", "question__staff_label_fr")
        .distinct()
    ):
        rows[session_id].red_flags.append(in_language(english=english, french=french))
    for row in rows.values():
        for reaction_type in reaction_types:
            seen = observed.get((row.session.pk, reaction_type.pk), [])
            course = _course(seen, row.session.performed_at, reaction_type)
            if course:
                row.courses[reaction_type.code] = course
        row.cells = [row.courses.get(t.code) for t in reaction_types]
    ordered = list(rows.values())
    return _with_chart(ordered, reaction_types)


def _with_chart(sessions: list[SessionReactions], reaction_types: list[ReactionType]) -> History:
    bars, labels = [], []
    group_width = len(reaction_types) * (BAR_WIDTH + BAR_GAP)
    for index, row in enumerate(sessions):
        left = index * (group_width + GROUP_GAP)
        labels.append((left + group_width / 2, str(row.session.series_number)))
        for position, reaction_type in enumerate(reaction_types):
            course = row.course_of(reaction_type.code)
            if course is None:
                continue
            height = CHART_HEIGHT * course.severity / Severity.SEVERE
            bars.append(
                Bar(
                    x=left + position * (BAR_WIDTH + BAR_GAP),
                    y=CHART_HEIGHT - height,
                    height=height,
                    css_class=f"history-bar {_colour(position)}",
                    title=f"{row.session.series_number}: {course.label}, {course.severity_label}",
                )
            )
    width = max(len(sessions) * (group_width + GROUP_GAP) - GROUP_GAP, group_width)
    legend = [(_colour(position), t.staff_text) for position, t in enumerate(reaction_types)]
    return History(
        sessions=sessions,
        reaction_types=reaction_types,
        bars=bars,
        group_labels=labels,
        legend=legend,
        chart_width=width,
    )


def _colour(position: int) -> str:
    return f"reaction-{position % COLOURS}"
