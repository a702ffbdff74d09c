"""The diagrams a reaction is marked on, by the patient at a check-in or by staff in a report: those
of the session's areas first, its treated zones shaded, then every other, since a reaction may be
where nothing was treated (and that is what most needs telling)."""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.utils.safestring import SafeString

from .chart import DIAGRAMS, diagrams_for, treated_zones
from .chart_display import diagram_markup
from .models import TreatmentSession


@dataclass(frozen=True)
class MarkingDiagram:
    code: str
    label: str
    markup: SafeString
    of_the_session: bool


def marking_diagrams(*, session: TreatmentSession) -> list[MarkingDiagram]:
    areas = [row.area for row in session.areas.all()]
    treated = treated_zones(areas=areas, zones=list(session.zones.values_list("zone", flat=True)))
    own = diagrams_for(areas)
    order = own + [diagram for diagram in DIAGRAMS if diagram not in own]
    return [
        MarkingDiagram(
            code=diagram,
            label=str(DIAGRAMS[diagram]),
            markup=diagram_markup(diagram, treated),
            of_the_session=diagram in own,
        )
        for diagram in order
    ]


def treated_areas(*, session: TreatmentSession) -> list[str]:
    # Kept on the session: the page's questions and its drawings both read them.
    prefetch_related_objects([session], "areas")
    return [row.area for row in session.areas.all()]
