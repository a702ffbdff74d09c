"""Sessions and complications for the audit's tests, and the tallies kept beside a fresh count of them."""

from datetime import timedelta

from django.utils import timezone

from recovery import complications
from recovery.models import AuditTally, Recovery, ZoneTally
from recovery.tallies import counted
from recovery.zone_tallies import MEASURES, zone_counts

from .factories import PatientFactory, TreatmentSessionFactory

TALLY_FIELDS = ("clinic_id", "day", "dimension", "key", "sessions", "reported", "confirmed")


def sessions_at(clinic, practitioner, count, *, batch=None, days_ago=2):
    """`count` sessions of new patients, `days_ago` days ago, with `batch` if given."""
    return [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic),
            practitioner=practitioner,
            performed_at=timezone.now() - timedelta(days=days_ago),
            batches=[batch] if batch else None,
        )
        for _ in range(count)
    ]


def confirm(session, grade, *seriousness, **fields):
    """A complication confirmed by the session's practitioner (a nodule unless said otherwise)."""
    return complications.complication_record(
        recovery=session.recovery,
        complication_type=fields.pop("complication_type", "nodule"),
        grade=grade,
        seriousness=seriousness,
        recorded_by=session.practitioner,
        **fields,
    )


def tallies_kept() -> list[tuple]:
    return sorted(AuditTally.objects.values_list(*TALLY_FIELDS))


def tallies_counted_afresh() -> list[tuple]:
    return sorted(tuple(row[field] for field in TALLY_FIELDS) for row in counted(Recovery.objects.all()))


def tallies_kept_equal_a_fresh_count() -> bool:
    return tallies_kept() == tallies_counted_afresh()


def zone_tallies_kept() -> list[tuple]:
    return sorted(ZoneTally.objects.values_list("clinic_id", "day", "zone", *MEASURES))


def zone_tallies_counted_afresh() -> list[tuple]:
    return sorted(
        (clinic_id, day, zone, *(counts[measure] for measure in MEASURES))
        for (clinic_id, day, zone), counts in zone_counts(Recovery.objects.all(), per_day=True).items()
    )
