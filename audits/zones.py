"""Reaction and complication rates per zone of the face chart, for the managers' heat map.

The denominator of a zone is the sessions that treated it: the zones charted, or, for a session
logged before zones were charted, every zone of its areas (`treatments.chart.treated_zones`).

- Reactions: sessions with a reaction reported present, or a red flag answered yes, marked on the
  chart in the zone. Red flags count: a colour change marked near the eye is the zone's most
  telling event, and leaving it out would make that zone look calm.
- Complications: sessions with a complication confirmed by staff. A complication is not charted by
  zone, so it counts in every zone its session treated.
- Beyond treated: sessions with a reaction marked in a zone they did not treat, a safety finding.
  They have no place in that zone's rate and are counted apart, so they are not lost.

A mark is judged against the session's chart as it is now, the same chart the sessions are counted
by: each marked session counts in the zone's rate or beyond it, never both and never neither.
The rules are counted in `recovery.zone_tallies` and only read here: the clinics' whole period from
the tallies kept per clinic day and zone, a practitioner's or a product's sessions from their rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Sum

from recovery.models import AuditTally, Recovery, TallyDimension, ZoneTally
from recovery.zone_tallies import MEASURES, zone_counts
from treatments.chart import ZONES
from treatments.models import SessionProduct

from .stats import Rate, wilson


@dataclass(frozen=True)
class ZoneRates:
    code: str
    label: str
    reactions: Rate
    complications: Rate
    beyond: int

    @property
    def sessions(self) -> int:
        return self.reactions.sessions

    @property
    def small_sample(self) -> bool:
        return self.reactions.small_sample


@dataclass(frozen=True)
class ZoneMap:
    sessions: int
    zones: list[ZoneRates]


def sessions_in_scope(
    *, clinic_ids, first_day: date, last_day: date, practitioner_id=None, product_id=None
) -> QuerySet:
    """The recoveries (one per session, keyed by it) the audit counts: each session on its own
    clinic's calendar, as the audit's tallies count it."""
    recoveries = Recovery.objects.filter(clinic_id__in=clinic_ids, performed_on__range=(first_day, last_day))
    if practitioner_id is not None:
        recoveries = recoveries.filter(practitioner_id=practitioner_id)
    if product_id is not None:
        # From the product's uses, by the index of uses by batch: asked of each recovery of the
        # period instead, it read every use of every product.
        used = SessionProduct.objects.filter(batch__product_id=product_id).values("session_id")
        recoveries = recoveries.filter(session_id__in=used)
    return recoveries


def _kept(*, clinic_ids, first_day: date, last_day: date) -> tuple[int, dict]:
    """Every session of the clinics' period, and the counts by zone, summed from the tallies: each
    session is in the series tallies once."""
    tallies = {"clinic_id__in": clinic_ids, "day__range": (first_day, last_day)}
    sessions = AuditTally.objects.filter(**tallies, dimension=TallyDimension.SERIES).aggregate(n=Sum("sessions"))
    by_zone = ZoneTally.objects.filter(**tallies).order_by().values("zone").annotate(**{m: Sum(m) for m in MEASURES})
    return sessions["n"] or 0, {row["zone"]: row for row in by_zone}


def zone_map(*, clinic_ids, first_day: date, last_day: date, practitioner_id=None, product_id=None) -> ZoneMap:
    """Every zone of the chart, in the catalogue's order, with its rates over the sessions in scope.

    The tallies are kept per clinic day, not per practitioner or product: a map narrowed to either
    counts that narrower scope's rows, by the same rules (`recovery.zone_tallies.zone_counts`)."""
    if practitioner_id is None and product_id is None:
        sessions, counts = _kept(clinic_ids=clinic_ids, first_day=first_day, last_day=last_day)
    else:
        scope = sessions_in_scope(
            clinic_ids=clinic_ids,
            first_day=first_day,
            last_day=last_day,
            practitioner_id=practitioner_id,
            product_id=product_id,
        )
        sessions, counts = scope.count(), zone_counts(scope, per_day=False)
    empty = dict.fromkeys(MEASURES, 0)
    zones = []
    for code, zone in ZONES.items():
        counted = counts.get(code, empty)
        zones.append(
            ZoneRates(
                code=code,
                label=str(zone.label),
                reactions=wilson(counted["reacted"], counted["sessions"]),
                complications=wilson(counted["confirmed"], counted["sessions"]),
                beyond=counted["beyond"],
            )
        )
    return ZoneMap(sessions=sessions, zones=zones)
