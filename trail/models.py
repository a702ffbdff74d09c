from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic


class RecordView(models.Model):
    """A member of staff opened a patient's record: who, which patient, when, which page.

    The patient is named by its app label, not imported: the trail sits beneath the
    apps that write to it, and reads none of them. The view outlives an erased patient's
    record, without the link to it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.SET_NULL, null=True, blank=True, related_name="record_views"
    )
    viewed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["patient", "viewed_at"], name="record_view_patient_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.patient} – {self.viewed_at:%d %b %Y %H:%M}"


class Removal(models.Model):
    """Something deleted from a patient's record: who, when, why, and what it was, never what it
    held. `session_id` names the session it belonged to, if any, by its id alone, so the entry
    outlives the session."""

    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(default=timezone.now)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    session_id = models.UUIDField(null=True, blank=True, db_index=True)
    what = models.CharField(max_length=300)
    reason = models.TextField(max_length=NOTE_MAX_LENGTH)

    class Meta:
        ordering = ["-removed_at"]
        indexes = [models.Index(fields=["clinic", "removed_at"], name="removal_clinic_time_idx")]

    def __str__(self) -> str:
        return f"{self.removed_by} – {self.what} – {self.removed_at:%d %b %Y %H:%M}"


class TokenRequest(models.Model):
    """A request another system made with an API token: which token, when, what it asked (method and
    path) and how it was answered, and the patient whose record it read or wrote, when there is one.

    The token and the patient are named by their app labels, not imported, as `RecordView` names the
    patient: the trail sits beneath the apps that write to it. A list's request names no patient.
    """

    token = models.ForeignKey("api.ApiToken", on_delete=models.PROTECT, related_name="requests")
    patient = models.ForeignKey("patients.Patient", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["token", "requested_at"], name="token_request_token_idx"),
            models.Index(fields=["patient", "requested_at"], name="token_request_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.token_id} – {self.method} {self.path} {self.status_code} – {self.requested_at:%d %b %Y %H:%M}"


class TransferDirection(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class FileTransfer(models.Model):
    """A file of a clinic's record brought in or taken out: who, when, which file (its name and its
    SHA-256, so the very file can be recognised later) and how many rows of each kind it held."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    direction = models.CharField(max_length=10, choices=TransferDirection.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["clinic", "at"], name="file_transfer_clinic_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(direction__in=TransferDirection.values), name="file_transfer_direction_is_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.file_name} – {self.at:%d %b %Y %H:%M}"
