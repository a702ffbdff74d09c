"""The diagrams a reaction is marked on, by the patient at a check-in or by staff in a report: those
of the session's areas first, its treated zones shaded, then every other, since a reaction may be
where nothing was treated (and that is what most needs telling).

A patient's page leaves the drawings out (`drawn=False`): the page's script fetches them from
`marking_drawings`, the same for every patient reading the language, kept by the browser, and shades
the zones each diagram names as treated."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import prefetch_related_objects
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import override

from .chart import DIAGRAMS, diagrams_for, treated_zones, zones_of_diagram
from .chart_display import diagram_markup
from .models import TreatmentSession


@dataclass(frozen=True)
class MarkingDiagram:
    code: str
    label: str
    markup: SafeString
    of_the_session: bool
    treated: tuple[str, ...] = ()


def marking_diagrams(*, session: TreatmentSession, drawn: bool = True) -> list[MarkingDiagram]:
    areas = [row.area for row in session.areas.all()]
    treated = treated_zones(areas=areas, zones=list(session.zones.values_list("zone", flat=True)))
    own = diagrams_for(areas)
    order = own + [diagram for diagram in DIAGRAMS if diagram not in own]
    return [
        MarkingDiagram(
            code=diagram,
            label=str(DIAGRAMS[diagram]),
            markup=diagram_markup(diagram, treated) if drawn else SafeString(""),
            of_the_session=diagram in own,
            treated=tuple(code for code in zones_of_diagram(diagram) if code in treated),
        )
        for diagram in order
    ]


@lru_cache(maxsize=8)
def marking_drawings(language: str) -> tuple[SafeString, str]:
    """Every diagram with no zone shaded, titled in `language`, each in an element naming it; and the
    version of that markup, which changes with any line or word of it."""
    with override(language):
        markup = SafeString(
            "".join(
                format_html('<div data-diagram="{}">{}</div>', diagram, diagram_markup(diagram, frozenset()))
                for diagram in DIAGRAMS
            )
        )
    return markup, hashlib.sha256(markup.encode()).hexdigest()[:16]


def treated_areas(*, session: TreatmentSession) -> list[str]:
    # Kept on the session: the page's questions and its drawings both read them.
    prefetch_related_objects([session], "areas")
    return [row.area for row in session.areas.all()]
