"""A session's chart drawn for reading: each diagram of its areas, the treated zones coloured, the
injection points placed and the reactions its reports marked (`chart_marks`), with the same content
as lists for those who do not see the drawing; and each area's part of it, to lay beside its photos.

The drawings are parsed once per process and copied for each page; labels and the points' titles go
in through ElementTree, which escapes them, so no product name or lot can break out of the SVG.
"""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from xml.etree import ElementTree

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors
from .chart import DIAGRAMS, ZONES, diagrams_for, treated_zones, zones_of_area, zones_of_diagram
from .chart_marks import ChartMark, draw_marks
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
    marks: list[ChartMark] = field(default_factory=list)


@cache
def _drawing(diagram: str) -> ElementTree.Element:
    """The drawing with its tags unqualified and the namespace written as a plain attribute, so that
    it is serialised as `<svg xmlns=...>` whatever prefixes the process has registered: WeasyPrint,
    drawing a report pack's PDF, maps the empty prefix away, and `<ns0:svg>` is no drawing to a
    browser."""
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


def zones_drawn(diagram: str, look: Callable[[str], tuple[str, str]], *, ids: str = "") -> ElementTree.Element:
    """A fresh copy of the diagram, titled in the page's language, each zone given the classes and the
    label `look` answers for its code (an empty class keeps the drawing's own): the session's chart,
    the drawings a reaction is marked on and the audit's heat map colour the same drawings. `ids` goes
    before each id in it, for a second copy on the same page."""
    root = copy.deepcopy(_drawing(diagram))
    root.find("title").text = str(DIAGRAMS[diagram])
    for element in root.iter():
        for name in ("id", "aria-labelledby"):
            if element.get(name):
                element.set(name, ids + element.get(name))
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


def _draw(
    diagram: str,
    treated: frozenset[str],
    points: list[tuple[InjectionPoint, ChartPoint]],
    marks: list[ChartMark],
    ids: str,
) -> SafeString:
    def look(code: str) -> tuple[str, str]:
        label = str(ZONES[code].label)
        if code in treated:
            return "chart-zone treated", _("%(zone)s: treated") % {"zone": label}
        return "", label

    root = zones_drawn(diagram, look, ids=ids)
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
    draw_marks(root, diagram, marks)
    return markup_of(root)


def _main_diagram(area: str) -> str:
    """The diagram that shows the most of the area's zones: the face from the front, the neck's own."""
    zones = zones_of_area(area)
    return max(diagrams_for([area]), key=lambda diagram: sum(diagram in ZONES[code].diagrams for code in zones))


def _area_of(zone: str) -> str:
    return ZONES[zone].area if zone in ZONES else ""


def _diagram(diagram: str, treated: frozenset[str], points, marks, *, ids: str = "") -> ChartDiagram:
    shown = [(point, _point_of(point)) for point in points if point.diagram == diagram]
    marked = [mark for mark in marks if mark.diagram == diagram]
    return ChartDiagram(
        code=diagram,
        label=str(DIAGRAMS[diagram]),
        markup=_draw(diagram, treated, shown, marked, ids)
        if shown or marked
        else _ground(diagram, treated & frozenset(zones_of_diagram(diagram)), get_language(), ids),
        treated=[str(ZONES[code].label) for code in zones_of_diagram(diagram) if code in treated],
        points=[shown_point for _point, shown_point in shown],
        marks=marked,
    )


@dataclass(frozen=True)
class Chart:
    diagrams: list[ChartDiagram]
    marks: list[ChartMark]
    treated: frozenset[str] = field(repr=False)
    points: list[InjectionPoint] = field(repr=False)

    @property
    def has_points(self) -> bool:
        return any(diagram.points for diagram in self.diagrams)

    def area_diagrams(self, area: str) -> list[ChartDiagram]:
        """The area's part of the chart, to lay beside its photos: its main diagram, and any other one
        a point or mark of the area is on, with the treated zones and only that area's points and marks.
        None for an area no diagram shows."""
        if not diagrams_for([area]):
            return []
        points = [point for point in self.points if _area_of(point.zone) == area]
        marks = [mark for mark in self.marks if mark.area == area]
        shown = {_main_diagram(area)} | {point.diagram for point in points} | {mark.diagram for mark in marks}
        return [
            _diagram(diagram, self.treated, points, marks, ids=f"{area}-") for diagram in DIAGRAMS if diagram in shown
        ]


def session_chart(*, session: TreatmentSession, marks: Sequence[ChartMark] = ()) -> Chart:
    """The diagrams of the session's areas (and of any diagram a point or a mark was placed on), in
    the catalogue's order, with the reports' marks (numbered in time order by the recovery app). A
    session logged before the chart treated every zone of its areas."""
    data = selectors.session_chart(session=session)
    treated = treated_zones(areas=data.areas, zones=data.zones)
    marks = list(marks)
    shown = set(diagrams_for(data.areas))
    shown |= {diagram for code in treated if code in ZONES for diagram in ZONES[code].diagrams}
    shown |= {point.diagram for point in data.points}
    shown |= {mark.diagram for mark in marks if mark.diagram in DIAGRAMS}
    return Chart(
        diagrams=[_diagram(diagram, treated, data.points, marks) for diagram in DIAGRAMS if diagram in shown],
        marks=marks,
        treated=treated,
        points=data.points,
    )


def diagram_markup(diagram: str, treated: frozenset[str]) -> SafeString:
    """A diagram with the treated zones shaded and no point: the ground a reaction is marked on."""
    return _ground(diagram, treated & frozenset(zones_of_diagram(diagram)), get_language())


# Every check-in page draws all six diagrams, and a session's chart those with no point or mark: they
# differ only by the zones shaded on each, the language of their labels and the prefix of their ids,
# so each is drawn once per process for each, a few kilobytes apiece.
@lru_cache(maxsize=512)
def _ground(diagram: str, treated: frozenset[str], _language: str, ids: str = "") -> SafeString:
    return _draw(diagram, treated, [], [], ids)
