import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class Export(models.Model):
    """A sessions export written by a worker as CSV or XLSX, downloadable by the clinic's managers only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices, default=FileFormat.CSV)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="export_period")]

    def __str__(self) -> str:
        return f"{self.clinic} {self.start}–{self.end}"

    @property
    def percent(self) -> int:
        return (
            round(self.done_rows / self.total_rows * 100)
            if self.total_rows
            else (100 if self.status == ExportStatus.DONE else 0)
        )
