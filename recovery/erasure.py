"""Erasing a patient's record: the patient, every session and what came of it.

Called by `audits.erasure`, which checks who may, erases the photos (`photos.erasure`) between the
two steps here, and also removes the exports that list the patient. The change history goes too,
since it holds copies of the same details; the audit's counts are recounted without the sessions.
Who had opened the record stays in the trail, without the link to it.
"""

from dataclasses import dataclass

from django.db import transaction

from patients.models import Patient
from treatments.models import TreatmentSession

from . import tallies
from .models import CheckIn, Complication, FollowUp, ReactionReport, Recovery


@dataclass(frozen=True)
class Erased:
    sessions: int
    reports: int
    days: dict[int, set]


def patient_sessions_lock(*, patient: Patient) -> list:
    """Lock the patient, their sessions and check-ins for the erasure, and give the sessions' ids.

    Locked, so no session is logged for the patient while the record goes, and a report or a
    check-in answer arriving now waits, and then fails on a session that is gone rather than
    leaving the erasure half done. Call it inside the erasure's transaction.
    """
    Patient.objects.select_for_update().get(pk=patient.pk)
    sessions = TreatmentSession.objects.select_for_update().filter(patient=patient)
    session_ids = list(sessions.values_list("pk", flat=True))
    list(CheckIn.objects.select_for_update().filter(session_id__in=session_ids).values_list("pk", flat=True))
    return session_ids


def patient_records_erase(*, patient: Patient, session_ids: list) -> Erased:
    """Erase the patient and their sessions' records, once their photos are gone (`photos.erasure`)."""
    with transaction.atomic():
        recoveries = Recovery.objects.filter(session_id__in=session_ids)
        days = tallies.days_of(recoveries)
        report_ids = list(ReactionReport.objects.filter(session_id__in=session_ids).values_list("pk", flat=True))
        follow_up_ids = list(FollowUp.objects.filter(recovery__in=recoveries).values_list("pk", flat=True))
        complications = Complication.objects.filter(recovery__in=recoveries)
        complication_ids = list(complications.values_list("pk", flat=True))

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
        return Erased(sessions=len(session_ids), reports=len(report_ids), days=days)
