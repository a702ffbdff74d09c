"""Sessions, reactions and complications per zone of the face chart: the rules of the zone map,
counted here once, whether into the tallies kept per clinic day or over a filtered scope.

- Treated: the zones charted, or, for a session logged before zones were charted, every zone of its
  areas (`treatments.chart.treated_zones`). A session counts once in each zone it treated.
- Reacted: a reaction reported present, or a red flag answered yes, marked in a zone the session
  treated. Every mark is of something present: `recovery.marks` refuses any other.
- Beyond: a reaction marked in a zone the session did not treat. It has no place in that zone's rate
  and is counted apart, so it is not lost.
- Confirmed: a complication confirmed by staff. It is not charted by zone, so it counts in every
  zone its session treated.

A mark is judged against the session's chart as it is now, the same chart the sessions are counted
by: each marked session counts in the zone's rate or beyond it, never both and never neither.
Three grouped queries, whatever the number of sessions.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from treatments.chart import ZONES, zones_of_area
from treatments.models import SessionArea, SessionZone

from .models import ReactionMark, ZoneTally

MEASURES = ("sessions", "reacted", "confirmed", "beyond")


def _group(per_day: bool, path: str = "") -> dict:
    return {"tally_clinic": F(f"{path}clinic_id"), "tally_day": F(f"{path}performed_on")} if per_day else {}


def _key(row: dict, zone: str, per_day: bool):
    return (row["tally_clinic"], row["tally_day"], zone) if per_day else zone


def _treated(recoveries: QuerySet, per_day: bool) -> Iterator[tuple[dict, list[str]]]:
    """Each group's sessions and confirmed complications, with the zones they count in. A session
    charts a zone, or names an area, once (unique in the database), so a plain count counts it once."""
    counts = {"sessions": Count("pk"), "confirmed": Count("pk", filter=Q(clinician_confirmed=True))}
    recoveries = recoveries.order_by()
    charted = (
        recoveries.values(**_group(per_day), tally_zone=F("session__zones__zone"))
        .filter(tally_zone__isnull=False)
        .annotate(**counts)
    )
    for row in charted:
        yield row, [row["tally_zone"]]
    unzoned = (
        recoveries.filter(~Exists(SessionZone.objects.filter(session_id=OuterRef("pk"))))
        .values(**_group(per_day), tally_area=F("session__areas__area"))
        .filter(tally_area__isnull=False)
        .annotate(**counts)
    )
    for row in unzoned:
        yield row, zones_of_area(row["tally_area"])


def _marked(recoveries: QuerySet, per_day: bool) -> QuerySet:
    """Sessions with a reaction or red flag marked in each zone: in a zone they treated, and beyond."""
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
    return (
        ReactionMark.objects.filter(report__session_id__in=recoveries.values("pk"), zone__in=list(ZONES))
        .annotate(zone_area=zone_area)
        .order_by()
        .values(**_group(per_day, "report__session__recovery__"), tally_zone=F("zone"))
        .annotate(
            reacted=Count("report__session_id", distinct=True, filter=treated),
            beyond=Count("report__session_id", distinct=True, filter=~treated),
        )
    )


def zone_counts(recoveries: QuerySet, *, per_day: bool) -> dict:
    """These recoveries' counts ({measure: count}) by zone, or by (clinic id, day, zone) when per day."""
    counts = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for row, zones in _treated(recoveries, per_day):
        for zone in zones:
            counted = counts[_key(row, zone, per_day)]
            counted["sessions"] += row["sessions"]
            counted["confirmed"] += row["confirmed"]
    for row in _marked(recoveries, per_day):
        counted = counts[_key(row, row["tally_zone"], per_day)]
        counted["reacted"] += row["reacted"]
        counted["beyond"] += row["beyond"]
    return counts


def zone_tallies_of(recoveries: QuerySet) -> Iterator[ZoneTally]:
    """The zone tallies of these recoveries' clinic days, unsaved: all of those days' recoveries
    must be among them."""
    for (clinic_id, day, zone), counted in zone_counts(recoveries, per_day=True).items():
        yield ZoneTally(clinic_id=clinic_id, day=day, zone=zone, **counted)
