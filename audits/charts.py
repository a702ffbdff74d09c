"""SVG geometry for rates with their 95% intervals; the templates only draw it."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 34


def _scale_top(rows) -> float:
    highest = max((max(r.reported.high, r.confirmed.high) for r in rows), default=0.0)
    for top in (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0):
        if highest <= top:
            return top
    return 1.0


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    low_y: float
    high_y: float
    label: str
    rate: float
    low: float
    high: float
    sessions: int

    @property
    def bar_height(self) -> float:
        return round(HEIGHT - BOTTOM - self.y, 1)


@dataclass(frozen=True)
class RateChart:
    reported: list[Point]
    confirmed: list[Point]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM

    @property
    def band(self) -> str:
        """The reported rate's interval as one polygon: up the high ends, back down the low ends."""
        upper = [f"{p.x},{p.high_y}" for p in self.reported]
        lower = [f"{p.x},{p.low_y}" for p in reversed(self.reported)]
        return " ".join(upper + lower)

    @property
    def line(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.reported)


def _points(rows, attribute, top, slot, centre_offset):
    plot_height = HEIGHT - TOP - BOTTOM

    def y(value):
        return round(HEIGHT - BOTTOM - value / top * plot_height, 1)

    points = []
    for index, row in enumerate(rows):
        rate = getattr(row, attribute)
        points.append(
            Point(
                x=round(LEFT + index * slot + centre_offset, 1),
                y=y(rate.value),
                low_y=y(rate.low),
                high_y=y(rate.high),
                label=row.label,
                rate=rate.value,
                low=rate.low,
                high=rate.high,
                sessions=rate.sessions,
            )
        )
    return points


def _chart(rows, *, bars: bool) -> RateChart:
    top = _scale_top(rows)
    slot = (WIDTH - LEFT - RIGHT) / max(len(rows), 1)
    ticks = [
        (round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * f, 1), f"{top * f:.0%}") for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return RateChart(
        reported=_points(rows, "reported", top, slot, slot * (0.3 if bars else 0.5)),
        confirmed=_points(rows, "confirmed", top, slot, slot * 0.7 if bars else slot * 0.5),
        y_ticks=ticks,
    )


def rate_line(rows) -> RateChart:
    return _chart(rows, bars=False)


def rate_bars(rows) -> RateChart:
    return _chart(rows, bars=True)
