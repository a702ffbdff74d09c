"""An import: the files a manager brought, what their dry run found, and what was written.

The files are kept in the database, bounded by IMPORT_MAX_MEGABYTES, not in the media storage: they hold
a clinic's health records and are read only by the run that received them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic

from .columns import KINDS

SOURCE_MAX_LENGTH = 80
FILE_NAME_MAX_LENGTH = 200
KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS.values()]


class ImportMapping(models.Model):
    """Which column of a source's file holds each of our columns, kept for the next file from it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=SOURCE_MAX_LENGTH)
    kind = models.CharField(_("kind of file"), max_length=20, choices=KIND_CHOICES)
    # {our column name: the file's column header}
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "source", "kind"], name="import_mapping_once_per_source_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.kind}"


class RunStatus(models.TextChoices):
    COLLECTING = "collecting", _("Files being added")
    CHECKING = "checking", _("Being checked")
    PREVIEWED = "previewed", _("Checked, waiting for confirmation")
    WRITING = "writing", _("Being written")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class ImportRun(models.Model):
    # Not sequential: its pages are addressed by it.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=SOURCE_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.COLLECTING)
    # A `plan.Plan` as JSON, once checked.
    plan = models.JSONField(null=True, blank=True)
    # {"follow": [session external ids], "same_person": {patient external id: same|new}}
    decisions = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # A message code (imports.messages), worded when read.
    error = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When its current task (the dry run, or the writing) was handed to the workers.
    queued_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "-created_at"], name="import_run_clinic_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="import_run_status_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.created_at:%Y-%m-%d %H:%M}"


class ImportFile(models.Model):
    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind of file"), max_length=20, choices=KIND_CHOICES)
    name = models.CharField(_("file name"), max_length=FILE_NAME_MAX_LENGTH)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    # The file's column headers as read, and {our column: the file's header} chosen on the mapping page.
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["run", "kind"], name="import_file_once_per_kind")]

    def __str__(self) -> str:
        return self.name
