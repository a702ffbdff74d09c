"""What an install shows, to compare a restored one with the original: the audit's figures, as its page
computes them, the records counted, and every photo and thumbnail opened and decoded.

Imported by the tests in their own process and run with `manage.py shell` against a restored database.
"""

from datetime import date

from PIL import Image

from audits import selectors
from clinics.models import Clinic
from patients.models import Patient
from photos.models import Photo
from photos.services import photo_storage
from recovery.models import Complication, ReactionReport
from treatments.models import TreatmentSession


def _rate(rate) -> list:
    return [rate.events, rate.sessions, round(rate.low, 6), round(rate.high, 6)]


def _row(row) -> list:
    return [row.key, row.label, _rate(row.reported), _rate(row.confirmed), row.reported_above, row.confirmed_above]


def audit_figures(*, first_day: date, last_day: date) -> dict:
    """Every clinic's audit table for the period, row by row, with the rates by severity."""
    clinic_ids = sorted(Clinic.objects.values_list("pk", flat=True))
    counts = selectors.tallied(clinic_ids=clinic_ids, first_day=first_day, last_day=last_day)
    reference = selectors.overall(counts)
    severity = selectors.confirmed_by_severity(counts, sessions=reference.sessions)
    return {
        "all": _row(reference),
        "breakdowns": {
            name: [_row(row) for row in selectors.breakdown_rows(counts, name, reference=reference, show_clinic=True)]
            for name in selectors.BREAKDOWNS
        },
        "severity": [[row.key, _rate(row.confirmed)] for row in severity],
    }


def _opened(name: str) -> list[int]:
    with photo_storage().open(name, "rb") as stored, Image.open(stored) as image:
        image.load()
        return list(image.size)


def photos_read() -> list[list]:
    """Each photo's id, its recorded size, and the sizes its image and thumbnail decode to."""
    return [
        [str(photo.pk), [photo.width, photo.height], _opened(photo.image_name), _opened(photo.thumbnail_name)]
        for photo in Photo.objects.order_by("pk")
    ]


def figures(*, first_day: str, last_day: str) -> dict:
    return {
        "audit": audit_figures(first_day=date.fromisoformat(first_day), last_day=date.fromisoformat(last_day)),
        "records": {
            "patients": Patient.objects.count(),
            "sessions": TreatmentSession.objects.count(),
            "reports": ReactionReport.objects.count(),
            "complications": Complication.objects.count(),
        },
        "photos": photos_read(),
    }
