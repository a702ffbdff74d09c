"""A session's chart drawn for reading: each diagram of its areas, the treated zones coloured and the
injection points placed, with the same content as lists for those who do not see the drawing.

The drawings are parsed once per process and copied for each page; labels and the points' titles go
in through ElementTree, which escapes them, so no product name or lot can break out of the SVG.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import selectors
from .chart import DIAGRAMS, ZONES, diagrams_for, treated_zones, zones_of_diagram
from .diagrams import diagram_svg
from .models import InjectionPoint, TreatmentSession

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
POINT_RADIUS = 5


@dataclass(frozen=True)
class ChartPoint:
    product: str
    lot: str
    volume: str
    zone_label: str

    @property
    def description(self) -> str:
        return _("%(product)s, lot %(lot)s, %(volume)s mL") % {
            "product": self.product,
            "lot": self.lot,
            "volume": self.volume,
        }


@dataclass(frozen=True)
class ChartDiagram:
    code: str
    label: str
    markup: SafeString
    treated: list[str]
    points: list[ChartPoint]


@cache
def _drawing(diagram: str) -> ElementTree.Element:
    """The drawing parsed, its tags stripped of their namespace and the namespace kept as a plain xmlns
    attribute: written back the same whatever prefix another library registered for SVG in the process
    (WeasyPrint's import takes the empty one, and ElementTree would write ns0:svg, shown as text)."""
    root = ElementTree.fromstring(str(diagram_svg(diagram)))
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NAMESPACE}}}")
    root.set("xmlns", SVG_NAMESPACE)
    return root


def _point_of(point: InjectionPoint) -> ChartPoint:
    batch = point.product_use.batch
    zone = ZONES.get(point.zone)
    return ChartPoint(
        product=batch.product.name,
        lot=batch.lot_number,
        volume=floatformat(point.volume_ml, "-2"),
        zone_label=str(zone.label) if zone else point.zone,
    )


def zones_drawn(diagram: str, look: Callable[[str], tuple[str, str]]) -> ElementTree.Element:
    """A fresh copy of the diagram, titled in the page's language, each zone given the classes and the
    label `look` answers for its code (an empty class keeps the drawing's own): the session's chart
    and the audit's heat map colour the same drawings."""
    root = copy.deepcopy(_drawing(diagram))
    root.find("title").text = str(DIAGRAMS[diagram])
    for element in root.iter():
        code = element.get("data-zone")
        if code is None:
            continue
        classes, label = look(code)
        if classes:
            element.set("class", classes)
        element.set("role", "img")
        element.set("aria-label", label)
        element.find("title").text = label
    return root


def markup_of(root: ElementTree.Element) -> SafeString:
    """A drawing made by `zones_drawn`, as markup to put in a page."""
    # Built by ElementTree from our own drawing; every text in it was escaped on the way in.
    return mark_safe(ElementTree.tostring(root, encoding="unicode"))


def _draw(diagram: str, treated: frozenset[str], points: list[tuple[InjectionPoint, ChartPoint]]) -> SafeString:
    def look(code: str) -> tuple[str, str]:
        label = str(ZONES[code].label)
        if code in treated:
            return "chart-zone treated", _("%(zone)s: treated") % {"zone": label}
        return "", label

    root = zones_drawn(diagram, look)
    _x, _y, width, height = (float(number) for number in root.get("viewBox").split())
    for point, shown in points:
        circle = ElementTree.SubElement(
            root,
            "circle",
            {
                "class": "chart-point",
                "cx": f"{float(point.x) * width:.1f}",
                "cy": f"{float(point.y) * height:.1f}",
                "r": str(POINT_RADIUS),
                "role": "img",
            },
        )
        circle.set("aria-label", shown.description)
        ElementTree.SubElement(circle, "title").text = shown.description
    return markup_of(root)


@dataclass(frozen=True)
class Chart:
    diagrams: list[ChartDiagram]

    @property
    def has_points(self) -> bool:
        return any(diagram.points for diagram in self.diagrams)


def session_chart(*, session: TreatmentSession) -> Chart:
    """The diagrams of the session's areas (and of any diagram a point was placed on), in the
    catalogue's order. A session logged before the chart treated every zone of its areas."""
    chart = selectors.session_chart(session=session)
    treated = treated_zones(areas=chart.areas, zones=chart.zones)
    shown = set(diagrams_for(chart.areas))
    shown |= {diagram for code in treated if code in ZONES for diagram in ZONES[code].diagrams}
    shown |= {point.diagram for point in chart.points}
    diagrams = []
    for diagram in DIAGRAMS:
        if diagram not in shown:
            continue
        points = [(point, _point_of(point)) for point in chart.points if point.diagram == diagram]
        diagrams.append(
            ChartDiagram(
                code=diagram,
                label=str(DIAGRAMS[diagram]),
                markup=_draw(diagram, treated, points),
                treated=[str(ZONES[code].label) for code in zones_of_diagram(diagram) if code in treated],
                points=[shown_point for _point, shown_point in points],
            )
        )
    return Chart(diagrams=diagrams)


def diagram_markup(diagram: str, treated: frozenset[str]) -> SafeString:
    """A diagram with the treated zones shaded and no point: the ground a reaction is marked on."""
    return _draw(diagram, treated, [])
