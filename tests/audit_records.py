"""Sessions and complications for the audit's tests, and the check that kept tallies match a fresh count."""

from datetime import timedelta

from django.utils import timezone

from recovery import complications
from recovery.models import AuditTally, Recovery
from recovery.tallies import counted

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


def tallies_kept_equal_a_fresh_count() -> bool:
    kept = sorted(AuditTally.objects.values_list(*TALLY_FIELDS))
    fresh = sorted(tuple(row[field] for field in TALLY_FIELDS) for row in counted(Recovery.objects.all()))
    return kept == fresh
