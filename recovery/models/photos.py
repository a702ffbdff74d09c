"""Photos of a session or sent with a report, and files waiting to be removed from storage."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.scoping import clinic_ids_of
from recovery.photo_models import PhotoSource
from treatments.models import Area, TreatmentSession

from .reports import ReactionReport


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PhotoQuerySet":
        return self.filter(session__clinic_id__in=clinic_ids_of(user))


class Photo(models.Model):
    """A photo of a treated area: the session's own, or one sent with a report afterwards.

    The files live in the private "photos" storage under `image_name` and `thumbnail_name`, written
    by `recovery.photos` from a re-encoded image without metadata; no URL reaches them directly.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="photos")
    report = models.ForeignKey(ReactionReport, on_delete=models.PROTECT, null=True, blank=True, related_name="photos")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    source = models.CharField(_("from"), max_length=10, choices=PhotoSource.choices)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    image_name = models.CharField(max_length=200, unique=True)
    thumbnail_name = models.CharField(max_length=200, unique=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        indexes = [models.Index(fields=["session", "added_at"], name="photo_session_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(area__in=Area.values), name="photo_area_is_known"),
            models.CheckConstraint(condition=Q(source__in=PhotoSource.values), name="photo_source_is_known"),
            # The session's own photos belong to no report; every later one to the report it came with.
            models.CheckConstraint(
                condition=Q(source=PhotoSource.SESSION, report__isnull=True)
                | (~Q(source=PhotoSource.SESSION) & Q(report__isnull=False)),
                name="photo_report_matches_source",
            ),
            models.CheckConstraint(
                condition=Q(source=PhotoSource.PATIENT) | Q(added_by__isnull=False), name="staff_photo_names_its_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} – {self.added_at:%d %b %Y %H:%M}"


class DiscardedFile(models.Model):
    """A stored file (a photo, an export) whose record is gone, waiting to be removed from storage.

    Written in the transaction that deletes the record, so a file is removed only once its
    deletion has committed, and never forgotten if the storage is down when it is first tried.
    """

    storage = models.CharField(max_length=20, default="photos")
    name = models.CharField(max_length=200)
    discarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["storage", "name"], name="file_discarded_once")]

    def __str__(self) -> str:
        return self.name
