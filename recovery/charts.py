"""Geometry for the dashboard's server-rendered SVG charts.

Pure functions from counts to shapes. Every shape carries its numbers in words (a title
and a visible count or legend), and each status has a pattern as well as a colour, so the
charts read without colour. The bars are written out here, not in a template loop: a
clinic group's month is over a hundred of them, on every refresh of every screen.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .rules import Status

# Bottom to top: the settled recoveries at the base, those needing someone on top.
STACK_ORDER = [Status.RESOLVED, Status.ON_TRACK, Status.OVERDUE, Status.NEEDS_ATTENTION]
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 28


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    x: float
    y: float
    width: float
    height: float
    count: int
    day: date


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class StackedBars:
    segments: list[Segment]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def shapes(self) -> SafeString:
        """The gridlines, the bars (each titled with its day, count and status) and the axis labels."""
        gridlines = format_html_join(
            "",
            '\n    <line x1="{}" x2="{}" y1="{}" y2="{}" class="gridline"/>'
            '\n    <text x="{}" y="{}" class="axis-label" text-anchor="end" dominant-baseline="middle">{}</text>\n  ',
            (
                (
                    self.plot_left,
                    self.width,
                    tick.position,
                    tick.position,
                    self.plot_left - 4,
                    tick.position,
                    tick.label,
                )
                for tick in self.y_ticks
            ),
        )
        bars = format_html_join(
            "",
            '\n    <rect x="{}" y="{}" width="{}" height="{}" fill="url(#pattern-{})">'
            "<title>{}: {} {}</title></rect>\n  ",
            (
                (
                    bar.x,
                    bar.y,
                    bar.width,
                    bar.height,
                    bar.status,
                    date_format(bar.day, "j N"),
                    bar.count,
                    str(bar.label).lower(),
                )
                for bar in self.segments
            ),
        )
        labels = format_html_join(
            "",
            '\n    <text x="{}" y="{}" class="axis-label" text-anchor="middle">{}</text>\n  ',
            ((tick.position, self.height - 8, tick.label) for tick in self.x_ticks),
        )
        return format_html("{}\n  {}\n  {}", gridlines, bars, labels)


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if value <= step * 4:
            return step * 4
    return value


def stacked_by_day(days: list[dict]) -> StackedBars:
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    top = _nice_max(max((sum(d["counts"].values()) for d in days), default=0) or 1)
    slot = plot_width / max(len(days), 1)
    segments = []
    for index, day in enumerate(days):
        base = HEIGHT - BOTTOM
        for status in STACK_ORDER:
            count = day["counts"].get(status, 0)
            if not count:
                continue
            height = count / top * plot_height
            base -= height
            segments.append(
                Segment(
                    status=status,
                    label=Status(status).label,
                    x=round(LEFT + index * slot + slot * 0.15, 1),
                    y=round(base, 1),
                    width=round(slot * 0.7, 1),
                    height=round(height, 1),
                    count=count,
                    day=day["day"],
                )
            )
    x_ticks = [
        Tick(round(LEFT + index * slot + slot / 2, 1), day["day"].strftime("%d/%m"))
        for index, day in enumerate(days)
        if index % 5 == 0 or index == len(days) - 1
    ]
    y_ticks = [
        Tick(round(HEIGHT - BOTTOM - plot_height * fraction, 1), str(round(top * fraction)))
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    ]
    return StackedBars(segments=segments, x_ticks=x_ticks, y_ticks=y_ticks)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width_percent: float


def horizontal_bars(counts: list[tuple[str, int]]) -> list[Bar]:
    biggest = max((n for _, n in counts), default=0) or 1
    return [Bar(label=label, count=n, width_percent=round(n / biggest * 100, 1)) for label, n in counts]
