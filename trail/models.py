from django.conf import settings
from django.db import models
from django.utils import timezone


class RecordView(models.Model):
    """A member of staff opened a patient's record: who, which patient, when, which page.

    The patient is named by its app label, not imported: the trail sits beneath the
    apps that write to it, and reads none of them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="record_views")
    viewed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["patient", "viewed_at"], name="record_view_patient_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.patient} – {self.viewed_at:%d %b %Y %H:%M}"
