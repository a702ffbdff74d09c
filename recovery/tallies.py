"""The complication audit's counts, kept per clinic day as sessions, reports and complications are written.

Each change recounts the whole clinic day it touches from the recoveries, in the transaction
that makes it, rather than adding or subtracting one: a recount cannot drift, and a day holds
a few dozen sessions. What is counted is what the audit asks: sessions, and the sessions with a
patient-reported or a clinician-confirmed complication, by practitioner, place in the series,
product, batch and treated area (a session counted once under each product it used), and the
sessions with a confirmed complication of each CTCAE grade and seriousness criterion; and, by
zone of the face chart, what the zone map asks (`recovery.zone_tallies`).
"""

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import reduce

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Least

from treatments.models import TreatmentSession

from .models import SERIOUSNESS, AuditTally, Grade, Recovery, TallyDay, TallyDimension, ZoneTally
from .zone_tallies import zone_tallies_of

# The series breakdown stops at "3rd and later".
SERIES_CAP = 3

_KEYS = {
    TallyDimension.PRACTITIONER: "practitioner_id",
    TallyDimension.PRODUCT: "session__products_used__batch__product_id",
    TallyDimension.BATCH: "session__products_used__batch_id",
    TallyDimension.AREA: "session__areas__area",
}


def _severity_keys() -> dict[str, Q]:
    """Each severity key and the complications it counts: grades, "none" for one recorded before
    grades were kept, "serious" for any criterion, and each criterion."""
    keys = {f"grade_{grade}": Q(complications__grade=grade) for grade in Grade.values}
    keys["grade_none"] = Q(complications__pk__isnull=False, complications__grade__isnull=True)
    criteria = {field: Q(**{f"complications__{field}": True}) for field in SERIOUSNESS}
    keys["serious"] = reduce(operator.or_, criteria.values())
    keys.update(criteria)
    return keys


def _counts(*, distinct: bool, key: str = "", within: Q | None = None) -> dict:
    within = within or Q()
    return {
        f"n{key}": Count("pk", distinct=distinct, filter=within or None),
        f"n_reported{key}": Count("pk", distinct=distinct, filter=within & Q(patient_reported=True)),
        f"n_confirmed{key}": Count("pk", distinct=distinct, filter=within & Q(clinician_confirmed=True)),
    }


def _severity(recoveries: QuerySet) -> Iterator[dict]:
    """One query over the recoveries with a complication, all keys at once: a session counts once
    in each key one of its complications falls under."""
    keys = _severity_keys()
    aggregates = {}
    for key, condition in keys.items():
        aggregates.update(_counts(distinct=True, key=f"_{key}", within=condition))
    rows = (
        recoveries.filter(complications__isnull=False)
        .values("clinic_id", "performed_on")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        for key in keys:
            if row[f"n_{key}"]:
                yield {
                    "clinic_id": row["clinic_id"],
                    "performed_on": row["performed_on"],
                    "tally_key": key,
                    "n": row[f"n_{key}"],
                    "n_reported": row[f"n_reported_{key}"],
                    "n_confirmed": row[f"n_confirmed_{key}"],
                }


def _as_tallies(dimension: str, rows) -> Iterator[dict]:
    for row in rows:
        yield {
            "clinic_id": row["clinic_id"],
            "day": row["performed_on"],
            "dimension": dimension,
            "key": str(row["tally_key"]),
            "sessions": row["n"],
            "reported": row["n_reported"],
            "confirmed": row["n_confirmed"],
        }


def severity_counted(recoveries: QuerySet) -> Iterator[dict]:
    """The severity tallies of these recoveries alone: one grouped query."""
    return _as_tallies(TallyDimension.SEVERITY, _severity(recoveries))


def counted(recoveries: QuerySet, *, severity: bool = True) -> Iterator[dict]:
    """The tallies of these recoveries, one per clinic day, dimension and key: six grouped queries.

    Without `severity`, only the five that need no complication's grade: for a migration older than grades."""
    series = recoveries.annotate(tally_key=Least("session__series_number", SERIES_CAP))
    yield from _as_tallies(
        TallyDimension.SERIES,
        series.values("clinic_id", "performed_on", "tally_key").annotate(**_counts(distinct=False)),
    )
    for dimension, key in _KEYS.items():
        joined = dimension != TallyDimension.PRACTITIONER
        rows = (
            recoveries.values("clinic_id", "performed_on", tally_key=F(key))
            .filter(**{f"{key}__isnull": False})
            .annotate(**_counts(distinct=joined))
        )
        yield from _as_tallies(dimension, rows)
    if severity:
        yield from severity_counted(recoveries)


def days_of(recoveries: QuerySet) -> dict[int, set]:
    days = defaultdict(set)
    for clinic_id, day in recoveries.values_list("clinic_id", "performed_on").distinct():
        days[clinic_id].add(day)
    return days


def _on(days: dict[int, set], field: str) -> Q:
    return reduce(
        operator.or_, (Q(clinic_id=clinic_id, **{f"{field}__in": sorted(d)}) for clinic_id, d in days.items())
    )


def tallies_recount(*, recoveries: QuerySet) -> None:
    """Recount every clinic day these recoveries fall on, after a change to what the audit counts."""
    tallies_recount_days(days=days_of(recoveries))


def _lock(days: dict[int, set]) -> None:
    TallyDay.objects.bulk_create(
        [TallyDay(clinic_id=clinic_id, day=day) for clinic_id, clinic_days in days.items() for day in clinic_days],
        ignore_conflicts=True,
    )
    # Locked in one order, so two recounts of overlapping days wait for each other, never deadlock.
    tally_days = TallyDay.objects.select_for_update().order_by("clinic_id", "day")
    list(tally_days.filter(_on(days, "day")).values_list("pk", flat=True))


def _zones_recount(days: dict[int, set]) -> None:
    ZoneTally.objects.filter(_on(days, "day")).delete()
    ZoneTally.objects.bulk_create(zone_tallies_of(Recovery.objects.filter(_on(days, "performed_on"))))


@transaction.atomic
def tallies_recount_days(*, days: dict[int, set]) -> None:
    """Recount these days of these clinics ({clinic id: days}): also after their recoveries are gone."""
    if not days:
        return
    _lock(days)
    AuditTally.objects.filter(_on(days, "day")).delete()
    AuditTally.objects.bulk_create(
        AuditTally(**row) for row in counted(Recovery.objects.filter(_on(days, "performed_on")))
    )
    _zones_recount(days)


@transaction.atomic
def tallies_recount_zones(*, recoveries: QuerySet) -> None:
    """Recount only the zone tallies of these recoveries' days: after marks are stored, which change
    where a reaction counts but nothing the other tallies count."""
    days = days_of(recoveries)
    if not days:
        return
    _lock(days)
    _zones_recount(days)


def tallies_after_session(*, session: TreatmentSession) -> None:
    """A new session counts on its day; the patient's later sessions moved up one in the series."""
    tallies_recount(
        recoveries=Recovery.objects.filter(
            session__patient_id=session.patient_id, performed_at__gte=session.performed_at
        )
    )


def tallies_rebuild(*, clinic_ids: Iterable[int]) -> None:
    """Recount every day of these clinics at once: after a bulk load, where day-by-day would be slow."""
    clinic_ids = list(clinic_ids)
    with transaction.atomic():
        AuditTally.objects.filter(clinic_id__in=clinic_ids).delete()
        TallyDay.objects.filter(clinic_id__in=clinic_ids).delete()
        recoveries = Recovery.objects.filter(clinic_id__in=clinic_ids)
        TallyDay.objects.bulk_create(
            (TallyDay(clinic_id=c, day=d) for c, d in recoveries.values_list("clinic_id", "performed_on").distinct()),
            batch_size=5000,
        )
        AuditTally.objects.bulk_create((AuditTally(**row) for row in counted(recoveries)), batch_size=5000)
        ZoneTally.objects.filter(clinic_id__in=clinic_ids).delete()
        ZoneTally.objects.bulk_create(zone_tallies_of(recoveries), batch_size=5000)
