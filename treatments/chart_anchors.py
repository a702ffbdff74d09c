"""Where on a diagram to draw a mark that has a zone but no point (the zone was chosen from a list):
a point inside the zone where it shows, with room about it, read from our own drawings once per
process. Computed rather than listed by hand, so a drawing redrawn moves its points with it.

The drawings use absolute moves, lines and cubic curves, and `matrix()` transforms (a mirrored
profile, the right hand): a curve is followed in short straight steps, close enough to place a
number. A zone drawn later covers an earlier one where they overlap (the lips over the area around
the mouth). The shape's centroid is taken when it has room; a crescent (a jawline, a nasolabial
fold) has its centroid at its edge or outside it, and a covered zone under what covers it, so the
point of the zone's visible stretches, level by level, with the most room across and down is taken.
"""

import re
from collections.abc import Sequence
from functools import cache
from math import cos, pi, sin
from xml.etree import ElementTree

from .chart import ZONES
from .diagrams import diagram_svg

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
CURVE_STEPS = 8
# Levels tried across a zone whose centroid is outside it or covered.
LEVELS = 40
TOKEN = re.compile(r"[MLCZ]|-?\d*\.?\d+")
MATRIX = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")


def _combined(outer: Matrix, inner: Matrix) -> Matrix:
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _moved(matrix: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = matrix
    x, y = point
    return (a * x + c * y + e, b * x + d * y + f)


def _transform(element: ElementTree.Element) -> Matrix:
    value = element.get("transform")
    if value is None:
        return IDENTITY
    found = MATRIX.match(value)
    if found is None:
        raise ValueError(f"Only matrix() transforms are read, not {value!r}")
    a, b, c, d, e, f = (float(number) for number in found.group(1).replace(",", " ").split())
    return (a, b, c, d, e, f)


def _outline(path: str) -> list[Point]:
    """A path of absolute M, L, C and Z as one closed ring of points, its curves in straight steps."""
    tokens = TOKEN.findall(path)
    ring: list[Point] = []
    command = ""
    index = 0
    while index < len(tokens):
        if tokens[index] in "MLCZ":
            command = tokens[index]
            index += 1
            continue
        if command in "ML":
            ring.append((float(tokens[index]), float(tokens[index + 1])))
            index += 2
        elif command == "C":
            start = ring[-1]
            c1, c2, end = ((float(tokens[index + k]), float(tokens[index + k + 1])) for k in (0, 2, 4))
            for step in range(1, CURVE_STEPS + 1):
                t = step / CURVE_STEPS
                u = 1 - t
                ring.append(
                    tuple(
                        u**3 * start[k] + 3 * u * u * t * c1[k] + 3 * u * t * t * c2[k] + t**3 * end[k] for k in (0, 1)
                    )
                )
            index += 6
        else:
            raise ValueError(f"Unexpected path data in {path!r}")
    return ring


def _ellipse(element: ElementTree.Element) -> list[Point]:
    cx, cy, rx, ry = (float(element.get(name)) for name in ("cx", "cy", "rx", "ry"))
    steps = 4 * CURVE_STEPS
    return [(cx + rx * cos(2 * pi * k / steps), cy + ry * sin(2 * pi * k / steps)) for k in range(steps)]


def _edges(ring: list[Point]):
    return zip(ring, ring[1:] + ring[:1], strict=True)


def _stretches(ring: list[Point], y: float) -> list[tuple[float, float]]:
    """Where the level `y` runs inside the ring, left to right."""
    found = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1) for (x1, y1), (x2, y2) in _edges(ring) if (y1 <= y < y2) or (y2 <= y < y1)
    )
    return list(zip(found[::2], found[1::2], strict=True))


def _uncovered(stretches, covers) -> list[tuple[float, float]]:
    """The parts of `stretches` outside every stretch of `covers`."""
    for cover_left, cover_right in covers:
        stretches = [
            part
            for left, right in stretches
            for part in ((left, min(right, cover_left)), (max(left, cover_right), right))
            if part[1] > part[0]
        ]
    return stretches


def _visible(ring: list[Point], above: list[list[Point]], y: float) -> list[tuple[float, float]]:
    return _uncovered(_stretches(ring, y), [stretch for other in above for stretch in _stretches(other, y)])


def _centroid(ring: list[Point]) -> Point:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in _edges(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return (cx / (3 * area), cy / (3 * area))


def _swapped(ring: list[Point]) -> list[Point]:
    return [(y, x) for x, y in ring]


def _room(ring: list[Point], above: list[list[Point]], point: Point) -> float:
    """How far the point is from the zone's visible edge, across and down: 0 where it does not show."""
    x, y = point
    across = [min(x - left, right - x) for left, right in _visible(ring, above, y) if left <= x <= right]
    down = [
        min(y - top, bottom - y)
        for top, bottom in _visible(_swapped(ring), [_swapped(other) for other in above], x)
        if top <= y <= bottom
    ]
    return min(across + down) if across and down else 0.0


def inside_point(ring: list[Point], above: Sequence[list[Point]] = ()) -> Point:
    """A point of the ring that no ring drawn above it covers, with room around it for a marker: its
    centroid when that has room, else the middle of the visible stretch, at any level, with the most."""
    above = list(above)
    centroid = _centroid(ring)
    top, bottom = min(point[1] for point in ring), max(point[1] for point in ring)
    levels = [top + (bottom - top) * step / LEVELS for step in range(1, LEVELS)]
    candidates = [((left + right) / 2, y) for y in levels for left, right in _visible(ring, above, y)]
    best = max(candidates, key=lambda point: _room(ring, above, point), default=centroid)
    if _room(ring, above, centroid) >= _room(ring, above, best) / 2:
        return centroid
    return best


def _ring(element: ElementTree.Element, matrix: Matrix) -> list[Point]:
    outline = _ellipse(element) if element.tag.endswith("ellipse") else _outline(element.get("d"))
    return [_moved(matrix, point) for point in outline]


@cache
def zone_outlines(diagram: str) -> dict[str, list[Point]]:
    """Each zone of the diagram, by code, as a ring of points in the drawing's own units, in the order
    they are drawn: a later one is drawn over an earlier one."""
    rings: dict[str, list[Point]] = {}

    def visit(element: ElementTree.Element, matrix: Matrix) -> None:
        matrix = _combined(matrix, _transform(element))
        code = element.get("data-zone")
        if code in ZONES:
            rings[code] = _ring(element, matrix)
        for child in element:
            visit(child, matrix)

    visit(ElementTree.fromstring(str(diagram_svg(diagram))), IDENTITY)
    return rings


@cache
def zone_anchors(diagram: str) -> dict[str, Point]:
    """Each zone of the diagram, by code, with a point inside it where it shows: the lips are drawn over
    the area around the mouth, so that zone's point is off the lips."""
    rings = zone_outlines(diagram)
    drawn = list(rings.values())
    return {code: inside_point(ring, drawn[index + 1 :]) for index, (code, ring) in enumerate(rings.items())}
