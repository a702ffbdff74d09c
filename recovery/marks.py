"""A report's marks on the face chart: checked, then kept with the session's treated zones as they
stood, which the rules judge each mark against (recovery.rules.mark_findings)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from treatments import chart
from treatments.models import TreatmentSession

from .models import ReactionMark, ReactionReport, ReactionType, RedFlagQuestion

UNKNOWN_ZONE = _("Choose a zone of the chart.")
ZONE_NOT_ON_DIAGRAM = _("This zone is not on this diagram.")
MARK_OF_NOTHING_REPORTED = _("Mark only a reaction reported in this report, or a red flag answered yes.")
MARKED_TWICE = _("Mark each reaction once.")
MARK_OFF_THE_DIAGRAM = _("A mark must lie on the diagram.")


@dataclass(frozen=True)
class MarkEntry:
    """Where one reaction, or one red flag answered yes, was: a zone of a diagram, and where on the
    diagram it was tapped (0 to 1 across and down), or no point when the zone was chosen from a list."""

    diagram: str
    zone: str
    reaction_type: ReactionType | None = None
    red_flag: RedFlagQuestion | None = None
    x: Decimal | None = None
    y: Decimal | None = None

    @property
    def subject(self):
        return self.reaction_type or self.red_flag


def mark_problems(marks: Sequence[MarkEntry], *, reacted: set[int], flagged: set[int]) -> list[str]:
    """What is wrong with these marks, given the reactions reported present (`reacted`, catalogue
    keys) and the red flags answered yes (`flagged`)."""
    problems: list[str] = []
    seen = set()
    for mark in marks:
        zone = chart.ZONES.get(mark.zone)
        if zone is None or mark.diagram not in chart.DIAGRAMS:
            problems.append(str(UNKNOWN_ZONE))
        elif mark.diagram not in zone.diagrams:
            problems.append(str(ZONE_NOT_ON_DIAGRAM))
        key = (
            ("reaction", mark.reaction_type.pk) if mark.reaction_type else ("flag", getattr(mark.red_flag, "pk", None))
        )
        reported = reacted if mark.reaction_type else flagged
        if (mark.reaction_type is None) == (mark.red_flag is None) or key[1] not in reported:
            problems.append(str(MARK_OF_NOTHING_REPORTED))
        elif key in seen:
            problems.append(str(MARKED_TWICE))
        seen.add(key)
        if not _on_the_diagram(mark.x, mark.y):
            problems.append(str(MARK_OFF_THE_DIAGRAM))
    return list(dict.fromkeys(problems))


def _on_the_diagram(x, y) -> bool:
    if x is None and y is None:
        return True
    return x is not None and y is not None and 0 <= x <= 1 and 0 <= y <= 1


def session_treated_zones(session: TreatmentSession) -> list[str]:
    """The session's treated zones now, to keep with a mark (`chart.treated_zones`)."""
    zones = chart.treated_zones(
        areas=session.areas.values_list("area", flat=True), zones=list(session.zones.values_list("zone", flat=True))
    )
    return sorted(zones)


def marks_store(*, report: ReactionReport, marks: Sequence[MarkEntry]) -> None:
    if not marks:
        return
    treated = session_treated_zones(report.session)
    ReactionMark.objects.bulk_create(
        ReactionMark(
            report=report,
            reaction_type=mark.reaction_type,
            red_flag=mark.red_flag,
            diagram=mark.diagram,
            zone=mark.zone,
            x=mark.x,
            y=mark.y,
            treated_zones=treated,
        )
        for mark in marks
    )
