"""Erasing a patient's record, when the clinic must: the patient, every session and what came of it.

Composed here, the highest app that holds a part of the record. Its change history goes too,
since it holds copies of the same details; the audit's counts are recounted without the
sessions; the photo files are removed from storage once the erasure commits. The trail keeps
that a record was erased, by whom, when and why, and who had opened it, but nothing that names
the patient.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clinics.scoping import managed_clinic_ids_of
from patients.models import Patient
from trail.models import Removal
from treatments.models import TreatmentSession

from . import photos, tallies
from .models import CheckIn, Complication, FollowUp, Photo, ReactionReport, Recovery

NOT_A_MANAGER = _("Only a manager of the patient's clinic can erase the record.")
REASON_NEEDED = _("Say why the record is erased.")


@dataclass(frozen=True)
class Erased:
    sessions: int
    reports: int
    photos: int


def patient_erase(*, patient: Patient, erased_by, reason: str) -> Erased:
    if patient.clinic_id not in managed_clinic_ids_of(erased_by):
        raise ValidationError(str(NOT_A_MANAGER))
    if not reason.strip():
        raise ValidationError({"reason": [str(REASON_NEEDED)]})
    with transaction.atomic():
        # Locked, so no session is logged for the patient while the record goes.
        Patient.objects.select_for_update().get(pk=patient.pk)
        session_ids = list(TreatmentSession.objects.filter(patient=patient).values_list("pk", flat=True))
        recoveries = Recovery.objects.filter(session_id__in=session_ids)
        days = tallies.days_of(recoveries)
        report_ids = list(ReactionReport.objects.filter(session_id__in=session_ids).values_list("pk", flat=True))
        follow_up_ids = list(FollowUp.objects.filter(recovery__in=recoveries).values_list("pk", flat=True))
        complications = Complication.objects.filter(recovery__in=recoveries)
        complication_ids = list(complications.values_list("pk", flat=True))

        photo_count = photos.files_discard(Photo.objects.filter(session_id__in=session_ids))
        CheckIn.objects.filter(session_id__in=session_ids).delete()
        complications.delete()
        recoveries.delete()
        ReactionReport.objects.filter(pk__in=report_ids).delete()
        TreatmentSession.objects.filter(pk__in=session_ids).delete()
        Patient.objects.filter(pk=patient.pk).delete()
        # After the rows: deleting them wrote one more history row each.
        Patient.history.filter(id=patient.pk).delete()
        TreatmentSession.history.filter(id__in=session_ids).delete()
        Recovery.history.filter(session_id__in=session_ids).delete()
        ReactionReport.history.filter(id__in=report_ids).delete()
        FollowUp.history.filter(id__in=follow_up_ids).delete()
        Complication.history.filter(id__in=complication_ids).delete()

        tallies.tallies_recount_days(days=days)
        erased = Erased(sessions=len(session_ids), reports=len(report_ids), photos=photo_count)
        Removal.objects.create(
            removed_by=erased_by,
            clinic_id=patient.clinic_id,
            what=str(
                _("A patient's record: %(sessions)s sessions, %(reports)s reports, %(photos)s photos")
                % {"sessions": erased.sessions, "reports": erased.reports, "photos": erased.photos}
            ),
            reason=reason.strip(),
        )
    return erased
