"""Erasing a patient's record, when the clinic must: composed here, the highest app that holds a part
of it, since the exports list the patient's sessions too.

The trail keeps that a record was erased, by whom, when and why, and who had opened it, but
nothing that names the patient.
"""

import operator
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinics.scoping import managed_clinic_ids_of
from patients.models import Patient
from photos import discards
from photos.erasure import session_photos_erase
from recovery import erasure
from trail.services import removal_record
from vigilance.erasure import session_reports_erase

from .models import Export, ExportStatus

NOT_A_MANAGER = _("Only a manager of the patient's clinic can erase the record.")
REASON_NEEDED = _("Say why the record is erased.")
EXPORT_UNDER_WAY = _(
    "An export of a period this patient was treated in is being written: erase the record once it is ready."
)
ERASED_RECORD = _(
    "A patient's record: %(sessions)s sessions, %(reports)s reports, %(photos)s photos; %(exports)s exports"
)


@dataclass(frozen=True)
class Erased:
    sessions: int
    reports: int
    photos: int


def patient_erase(*, patient: Patient, erased_by, reason: str) -> Erased:
    """Erase the patient and everything of theirs, and the exports of any period they were treated in."""
    if patient.clinic_id not in managed_clinic_ids_of(erased_by):
        raise ValidationError(str(NOT_A_MANAGER))
    if not reason.strip():
        raise ValidationError({"reason": [str(REASON_NEEDED)]})
    with transaction.atomic():
        session_ids = erasure.patient_sessions_lock(patient=patient)
        photo_count = session_photos_erase(session_ids=session_ids)
        session_reports_erase(session_ids=session_ids)
        erased = erasure.patient_records_erase(patient=patient, session_ids=session_ids)
        days = erased.days.get(patient.clinic_id, set())
        exports = Export.objects.none()
        if days:
            covering = reduce(operator.or_, (Q(start__lte=day, end__gte=day) for day in days))
            exports = Export.objects.filter(covering, clinic_id=patient.clinic_id)
        # A worker still writing one would write the patient back into a file: let it finish first.
        if exports.filter(status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).exists():
            raise ValidationError(str(EXPORT_UNDER_WAY))
        discards.files_discard([e.file.name for e in exports if e.file], storage="default")
        export_count = exports.delete()[0]
        counts = {"sessions": erased.sessions, "reports": erased.reports, "photos": photo_count}
        removal_record(
            removed_by=erased_by,
            clinic_id=patient.clinic_id,
            what=str(ERASED_RECORD % {**counts, "exports": export_count}),
            reason=reason,
        )
    return Erased(sessions=erased.sessions, reports=erased.reports, photos=photo_count)
