"""A session's chart drawn for reading: each diagram of its areas, the treated zones coloured and the
injection points placed, with the same content as lists for those who do not see the drawing.

The drawings are parsed once per process and copied for each page; labels and the points' titles go
in through ElementTree, which escapes them, so no product name or lot can break out of the SVG.
"""

import copy
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
ElementTree.register_namespace("", SVG_NAMESPACE)
TITLE = f"{{{SVG_NAMESPACE}}}title"
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
    return ElementTree.fromstring(str(diagram_svg(diagram)))


def _point_of(point: InjectionPoint) -> ChartPoint:
    batch = point.product_use.batch
    zone = ZONES.get(point.zone)
    return ChartPoint(
        product=batch.product.name,
        lot=batch.lot_number,
        volume=floatformat(point.volume_ml, "-2"),
        zone_label=str(zone.label) if zone else point.zone,
    )


def _draw(diagram: str, treated: frozenset[str], points: list[tuple[InjectionPoint, ChartPoint]]) -> str:
    root = copy.deepcopy(_drawing(diagram))
    root.find(TITLE).text = str(DIAGRAMS[diagram])
    for element in root.iter():
        code = element.get("data-zone")
        if code is None:
            continue
        label = str(ZONES[code].label)
        if code in treated:
            element.set("class", "chart-zone treated")
            label = _("%(zone)s: treated") % {"zone": label}
        element.set("role", "img")
        element.set("aria-label", label)
        element.find(TITLE).text = label
    _x, _y, width, height = (float(number) for number in root.get("viewBox").split())
    for point, shown in points:
        circle = ElementTree.SubElement(
            root,
            f"{{{SVG_NAMESPACE}}}circle",
            {
                "class": "chart-point",
                "cx": f"{float(point.x) * width:.1f}",
                "cy": f"{float(point.y) * height:.1f}",
                "r": str(POINT_RADIUS),
                "role": "img",
            },
        )
        circle.set("aria-label", shown.description)
        ElementTree.SubElement(circle, TITLE).text = shown.description
    return ElementTree.tostring(root, encoding="unicode")


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
                # Built by ElementTree from our own drawing; every text in it was escaped on the way in.
                markup=mark_safe(_draw(diagram, treated, points)),
                treated=[str(ZONES[code].label) for code in zones_of_diagram(diagram) if code in treated],
                points=[shown_point for _point, shown_point in points],
            )
        )
    return Chart(diagrams=diagrams)


def diagram_markup(diagram: str, treated: frozenset[str]) -> SafeString:
    """A diagram with the treated zones shaded and no point: the ground a reaction is marked on."""
    # Built by ElementTree from our own drawing; every text in it was escaped on the way in.
    return mark_safe(_draw(diagram, treated, []))
