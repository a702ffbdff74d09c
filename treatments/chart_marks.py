"""The reactions a session's reports marked on its chart, drawn on the session page's diagrams.

The marks are the recovery app's; it hands them down as plain data (`ChartMark`), numbered in the
order they were reported, so this floor draws them without reading the app above it. A mark is a
numbered square; one beyond the treated zones a numbered diamond, so shape tells them apart as well
as colour. A mark whose zone was chosen from a list has no point: its zone is outlined and its
number drawn inside the zone (`chart_anchors`), so it is never read as the spot the patient touched.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .chart import DIAGRAMS, ZONES
from .chart_anchors import zone_anchors

# Large enough for a two-digit number read on a phone, where a diagram is drawn at half its size.
MARK_SIZE = 26
# Half the diamond's diagonal: its inner square holds a two-digit number as the square does.
DIAMOND = 18
# Between the numbers of several marks drawn side by side in one zone.
MARK_GAP = 2


@dataclass(frozen=True)
class ChartMark:
    """One reaction, or red flag, that a report marked on a diagram: its number in time order, where
    (`x` and `y` from 0 to 1 across and down the diagram, none when the zone was chosen from a
    list), what, when, by whom, and whether it lies beyond the zones the session treated."""

    number: int
    diagram: str
    zone: str
    x: Decimal | None
    y: Decimal | None
    label: str
    reported_at: datetime
    by_patient: bool
    recorded_by: str
    beyond_treated: bool

    @property
    def from_list(self) -> bool:
        return self.x is None or self.y is None

    @property
    def area(self) -> str:
        zone = ZONES.get(self.zone)
        return zone.area if zone else ""

    @property
    def zone_label(self) -> str:
        zone = ZONES.get(self.zone)
        return str(zone.label) if zone else self.zone

    @property
    def diagram_label(self) -> str:
        return str(DIAGRAMS.get(self.diagram, self.diagram))

    @property
    def description(self) -> str:
        parts = [
            _("Mark %(number)s: %(reaction)s, %(zone)s")
            % {"number": self.number, "reaction": self.label, "zone": self.zone_label}
        ]
        if self.beyond_treated:
            parts.append(_("beyond the treated zones"))
        if self.from_list:
            parts.append(_("zone chosen from a list"))
        return ", ".join(parts)


def _places(diagram: str, marks: list[ChartMark], width: float, height: float) -> list[tuple[float, float]]:
    """Where each mark's number goes: where it was tapped, or side by side inside its zone."""
    anchors = zone_anchors(diagram)
    listed: dict[str, list[ChartMark]] = {}
    for mark in marks:
        if mark.from_list:
            listed.setdefault(mark.zone, []).append(mark)
    places = []
    for mark in marks:
        if not mark.from_list:
            places.append((float(mark.x) * width, float(mark.y) * height))
            continue
        x, y = anchors[mark.zone]
        together = listed[mark.zone]
        offset = together.index(mark) - (len(together) - 1) / 2
        places.append((x + offset * (MARK_SIZE + MARK_GAP), y))
    # Kept whole within the drawing, a mark tapped at its very edge included.
    half = DIAMOND
    return [(min(max(x, half), width - half), min(max(y, half), height - half)) for x, y in places]


def draw_marks(root: ElementTree.Element, diagram: str, marks: list[ChartMark]) -> None:
    """Add the marks on this diagram to its drawing (`chart_display`'s, its tags without their
    namespace), in time order (the latest on top), and outline the zones chosen from a list."""
    marks = [mark for mark in marks if mark.diagram == diagram and mark.zone in zone_anchors(diagram)]
    if not marks:
        return
    outlined = {mark.zone for mark in marks if mark.from_list}
    for element in root.iter():
        if element.get("data-zone") in outlined:
            element.set("class", f"{element.get('class')} marked")
    _x, _y, width, height = (float(number) for number in root.get("viewBox").split())
    for mark, (x, y) in zip(marks, _places(diagram, marks, width, height), strict=True):
        group = ElementTree.SubElement(
            root,
            "g",
            {"class": "chart-mark beyond" if mark.beyond_treated else "chart-mark", "role": "img"},
        )
        group.set("aria-label", mark.description)
        ElementTree.SubElement(group, "title").text = mark.description
        if mark.beyond_treated:
            corners = ((x, y - DIAMOND), (x + DIAMOND, y), (x, y + DIAMOND), (x - DIAMOND, y))
            shape = ("polygon", {"points": " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)})
        else:
            half = MARK_SIZE / 2
            box = {"x": f"{x - half:.1f}", "y": f"{y - half:.1f}", "width": str(MARK_SIZE), "height": str(MARK_SIZE)}
            shape = ("rect", {**box, "rx": "4"})
        ElementTree.SubElement(group, *shape)
        number = ElementTree.SubElement(
            group,
            "text",
            {"x": f"{x:.1f}", "y": f"{y:.1f}", "text-anchor": "middle", "dominant-baseline": "central"},
        )
        number.text = str(mark.number)
