"""Rates with honest uncertainty: pure functions, tested against values worked by hand."""

from dataclasses import dataclass
from math import sqrt

# 95% two-sided normal quantile.
Z_95 = 1.959963984540054
# Fewer sessions than this and a rate says little: the row is marked as a small sample.
SMALL_SAMPLE = 20


@dataclass(frozen=True)
class Rate:
    events: int
    sessions: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.events / self.sessions if self.sessions else 0.0

    @property
    def percent(self) -> float:
        return self.value * 100

    @property
    def low_percent(self) -> float:
        return self.low * 100

    @property
    def high_percent(self) -> float:
        return self.high * 100

    @property
    def small_sample(self) -> bool:
        return self.sessions < SMALL_SAMPLE

    def clearly_above(self, reference: float) -> bool:
        """The whole 95% interval lies above the reference rate."""
        return self.sessions > 0 and self.low > reference


def wilson(events: int, sessions: int, z: float = Z_95) -> Rate:
    """The Wilson score interval for a proportion.

    Unlike the normal approximation it stays within [0, 1] and behaves at 0 and at
    all events, which small clinic samples hit often.
    """
    if sessions == 0:
        return Rate(events=0, sessions=0, low=0.0, high=0.0)
    if not 0 <= events <= sessions:
        raise ValueError("events must lie between 0 and the number of sessions")
    p = events / sessions
    z2 = z * z
    centre = (p + z2 / (2 * sessions)) / (1 + z2 / sessions)
    margin = z * sqrt(p * (1 - p) / sessions + z2 / (4 * sessions * sessions)) / (1 + z2 / sessions)
    # At 0 and at all events the bound is exactly 0 or 1; rounding must not lift it off.
    low = 0.0 if events == 0 else max(0.0, centre - margin)
    high = 1.0 if events == sessions else min(1.0, centre + margin)
    return Rate(events=events, sessions=sessions, low=low, high=high)
