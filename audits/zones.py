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
Three grouped queries, whatever the number of sessions.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When

from recovery.models import ReactionMark, Recovery
from treatments.chart import ZONES, zones_of_area
from treatments.models import SessionArea, SessionProduct, SessionZone

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
        used = SessionProduct.objects.filter(session_id=OuterRef("pk"), batch__product_id=product_id)
        recoveries = recoveries.filter(Exists(used))
    return recoveries


def _treated_counts(scope: QuerySet) -> tuple[dict, dict]:
    """Sessions, and those with a confirmed complication: by zone charted, and by area for the
    sessions charted without zones."""
    counts = {
        "n": Count("session_id"),
        "confirmed": Count("session_id", filter=Q(session__recovery__clinician_confirmed=True)),
    }
    charted = SessionZone.objects.filter(session_id__in=scope.values("pk")).order_by().values("zone").annotate(**counts)
    unzoned = (
        SessionArea.objects.filter(session_id__in=scope.values("pk"))
        .filter(~Exists(SessionZone.objects.filter(session_id=OuterRef("session_id"))))
        .order_by()
        .values("area")
        .annotate(**counts)
    )
    return {row["zone"]: row for row in charted}, {row["area"]: row for row in unzoned}


def _marked_counts(scope: QuerySet) -> dict:
    """Sessions with a reaction or red flag marked in each zone: in a zone they treated, and beyond.

    Every mark is of something present: `recovery.marks` refuses one of a reaction reported absent
    or of a red flag answered no."""
    session = OuterRef("report__session_id")
    treated = Exists(SessionZone.objects.filter(session_id=session, zone=OuterRef("zone"))) | (
        ~Exists(SessionZone.objects.filter(session_id=session))
        & Exists(SessionArea.objects.filter(session_id=session, area=OuterRef("zone_area")))
    )
    zone_area = Case(
        *(
            When(zone__in=zones_of_area(area), then=Value(area))
            for area in dict.fromkeys(z.area for z in ZONES.values())
        ),
        default=Value(""),
        output_field=CharField(),
    )
    marked = (
        ReactionMark.objects.filter(report__session_id__in=scope.values("pk"), zone__in=list(ZONES))
        .annotate(zone_area=zone_area)
        .order_by()
        .values("zone")
        .annotate(
            reacted=Count("report__session_id", distinct=True, filter=treated),
            beyond=Count("report__session_id", distinct=True, filter=~treated),
        )
    )
    return {row["zone"]: row for row in marked}


def zone_map(*, clinic_ids, first_day: date, last_day: date, practitioner_id=None, product_id=None) -> ZoneMap:
    """Every zone of the chart, in the catalogue's order, with its rates over the sessions in scope."""
    scope = sessions_in_scope(
        clinic_ids=clinic_ids,
        first_day=first_day,
        last_day=last_day,
        practitioner_id=practitioner_id,
        product_id=product_id,
    )
    charted, unzoned = _treated_counts(scope)
    marked = _marked_counts(scope)
    empty = {"n": 0, "confirmed": 0, "reacted": 0, "beyond": 0}
    zones = []
    for code, zone in ZONES.items():
        by_zone, by_area, by_mark = (charted.get(code, empty), unzoned.get(zone.area, empty), marked.get(code, empty))
        sessions = by_zone["n"] + by_area["n"]
        zones.append(
            ZoneRates(
                code=code,
                label=str(zone.label),
                reactions=wilson(by_mark["reacted"], sessions),
                complications=wilson(by_zone["confirmed"] + by_area["confirmed"], sessions),
                beyond=by_mark["beyond"],
            )
        )
    return ZoneMap(sessions=scope.count(), zones=zones)
