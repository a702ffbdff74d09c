"""Where a reaction is, judged against what the session treated: pure functions over plain data,
read by the rules (`recovery.rules`) like every other finding."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .findings import Finding, Level, Named, Reason, stored_name

# The catalogue's code for a change of the skin's colour: near the eye, a vessel may be blocked.
COLOUR_CHANGE = "skin_colour"


@dataclass(frozen=True)
class Mark:
    """Where a reaction or red flag was: a zone of the face chart marked, or an area staff ticked,
    with the session's treated zones (or areas) as they stood when it was reported, and whether it is
    near the eye (`treatments.chart.NEAR_THE_EYE`)."""

    code: str
    label: Named | str
    where: str
    where_label: Named | str
    treated: frozenset[str]
    near_the_eye: bool = False

    @property
    def is_emergency(self) -> bool:
        return self.code == COLOUR_CHANGE and self.near_the_eye


def mark_findings(marks: Sequence[Mark], at: datetime) -> list[Finding]:
    """Answered as a red flag is: a reaction beyond every treated zone ("redness or a rash beyond the
    treated area"), and a colour change near the eye, an emergency."""
    found = []
    for mark in marks:
        params = {"reaction": stored_name(mark.label), "where": stored_name(mark.where_label)}
        if mark.is_emergency:
            found.append(Finding(Level.ATTENTION, Reason.COLOUR_NEAR_THE_EYE, at, params=params))
        if mark.where not in mark.treated:
            found.append(Finding(Level.ATTENTION, Reason.OUTSIDE_TREATED, at, params=params))
    return found
