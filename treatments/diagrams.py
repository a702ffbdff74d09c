"""The chart's diagrams as markup, to draw inline in a page: tapped and coloured there, with no
request of their own (the CSP allows no inline script, and an <img> cannot be tapped by zone)."""

import re
from functools import cache

from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

from .chart import DIAGRAMS, ZONES

PROLOGUE = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


@cache
def diagram_svg(diagram: str) -> SafeString:
    """static/charts/<diagram>.svg, drawn for this product: trusted markup, read once per process."""
    path = finders.find(f"charts/{diagram}.svg")
    if path is None:
        raise LookupError(f"static/charts/{diagram}.svg is missing")
    with open(path, encoding="utf-8") as svg:
        return mark_safe(PROLOGUE.sub("", svg.read()))


def diagram_figures() -> list[dict]:
    """Every diagram, with the areas whose zones it shows, for a page that shows those of the areas chosen."""
    return [
        {
            "code": diagram,
            "label": label,
            "areas": sorted({zone.area for zone in ZONES.values() if diagram in zone.diagrams}),
            "svg": diagram_svg(diagram),
        }
        for diagram, label in DIAGRAMS.items()
    ]
