"""Writes to patients' records that do not come from the patient form."""

from datetime import datetime

from .models import Patient


def patient_texts_stopped(*, patient: Patient, at: datetime) -> None:
    """The text provider says the patient replied STOP: no more texts until staff record otherwise.
    Not an edit by staff, so no entry in the record's change history."""
    Patient.objects.filter(pk=patient.pk, texts_stopped_at__isnull=True).update(texts_stopped_at=at)
    patient.texts_stopped_at = patient.texts_stopped_at or at
