"""The zone rates drawn on the face chart's diagrams: each zone coloured by the band its rate falls in.

Colours come from the stylesheet's classes (`heat-0` to `heat-4`), as the CSP forbids style
attributes. A zone with fewer sessions than the audit's small sample is hatched grey, whatever its
rate, so that a zone of three sessions looks neither alarming nor reassuring; a zone no session
treated is left blank. The table beside the drawings gives the same numbers to those who do not see them.
"""

import itertools
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from treatments.chart import DIAGRAMS, zones_of_diagram
from treatments.chart_display import markup_of, zones_drawn

from .stats import SMALL_SAMPLE, Rate
from .zones import ZoneRates

REACTIONS, COMPLICATIONS = "reactions", "complications"
MEASURES = {REACTIONS: gettext_lazy("Reactions"), COMPLICATIONS: gettext_lazy("Confirmed complications")}
# Where each band starts, above the first: reactions are common after an injection (redness,
# swelling), confirmed complications rare, so each measure has bands of its own scale.
BANDS = {REACTIONS: (0.05, 0.15, 0.30, 0.50), COMPLICATIONS: (0.01, 0.02, 0.05, 0.10)}
SMALL, NONE, BEYOND = "heat-small", "heat-none", "heat-beyond"


def percent(value: float, places: int = 1) -> str:
    """As the tables write it: "12.5%", in the page's language."""
    return f"{floatformat(value * 100, places)}{pgettext('a percentage after its number', '%')}"


def rate_of(row: ZoneRates, measure: str) -> Rate:
    return row.reactions if measure == REACTIONS else row.complications


def band_of(rate: Rate, measure: str) -> str:
    if rate.sessions == 0:
        return NONE
    if rate.small_sample:
        return SMALL
    return f"heat-{sum(rate.value >= start for start in BANDS[measure])}"


@dataclass(frozen=True)
class Key:
    css: str
    label: str


def legend(measure: str) -> list[Key]:
    starts = BANDS[measure]
    keys = [Key("heat-0", _("under %(high)s") % {"high": percent(starts[0], -1)})]
    keys += [
        Key(f"heat-{index}", _("%(low)s to under %(high)s") % {"low": percent(low, -1), "high": percent(high, -1)})
        for index, (low, high) in enumerate(itertools.pairwise(starts), start=1)
    ]
    keys.append(Key(f"heat-{len(starts)}", _("%(low)s or more") % {"low": percent(starts[-1], -1)}))
    keys.append(Key(SMALL, _("Small sample (fewer than %(count)s sessions): not banded") % {"count": SMALL_SAMPLE}))
    keys.append(Key(NONE, _("No session treated the zone")))
    keys.append(Key(BEYOND, _("Outlined: a reaction marked where its session did not treat")))
    return keys


def description(row: ZoneRates, measure: str) -> str:
    """What a zone says to a screen reader: the same as its row in the table."""
    rate = rate_of(row, measure)
    if rate.sessions == 0:
        parts = [_("%(zone)s: no sessions") % {"zone": row.label}]
    else:
        words = {
            "zone": row.label,
            "rate": percent(rate.value),
            "low": percent(rate.low),
            "high": percent(rate.high),
            "sessions": rate.sessions,
        }
        if measure == REACTIONS:
            sentence = ngettext(
                "%(zone)s: reactions %(rate)s (95%% CI %(low)s to %(high)s) over %(sessions)s session",
                "%(zone)s: reactions %(rate)s (95%% CI %(low)s to %(high)s) over %(sessions)s sessions",
                rate.sessions,
            )
        else:
            sentence = ngettext(
                "%(zone)s: confirmed complications %(rate)s (95%% CI %(low)s to %(high)s) over %(sessions)s session",
                "%(zone)s: confirmed complications %(rate)s (95%% CI %(low)s to %(high)s) over %(sessions)s sessions",
                rate.sessions,
            )
        parts = [sentence % words]
        if rate.small_sample:
            parts.append(_("small sample"))
    if row.beyond:
        parts.append(
            ngettext(
                "%(count)s session with a reaction marked here beyond what it treated",
                "%(count)s sessions with a reaction marked here beyond what they treated",
                row.beyond,
            )
            % {"count": row.beyond}
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class HeatDiagram:
    code: str
    label: str
    markup: SafeString


def heat_diagrams(zones: list[ZoneRates], measure: str) -> list[HeatDiagram]:
    """Every diagram with a zone that has something to show, in the catalogue's order."""
    by_code = {row.code: row for row in zones}

    def look(code: str) -> tuple[str, str]:
        row = by_code[code]
        classes = ["chart-zone", band_of(rate_of(row, measure), measure)]
        if row.beyond:
            classes.append(BEYOND)
        return " ".join(classes), description(row, measure)

    drawn = []
    for diagram, label in DIAGRAMS.items():
        if not any(by_code[code].sessions or by_code[code].beyond for code in zones_of_diagram(diagram)):
            continue
        drawn.append(HeatDiagram(code=diagram, label=str(label), markup=markup_of(zones_drawn(diagram, look))))
    return drawn
