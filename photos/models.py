"""Photos of treated skin: as they arrive (`PhotoUpload`, the file as sent, waiting in private storage
until a worker has decoded it or refused it with a reason), as kept (`Photo`), and files whose record
is gone, waiting to be removed from storage (`DiscardedFile`).

The tables keep the names they had in the recovery app, where these models were first written.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.scoping import clinic_ids_of
from recovery.models import ReactionReport
from treatments.models import Area, TreatmentSession


class PhotoSource(models.TextChoices):
    SESSION = "session", _("At the session")
    PATIENT = "patient", _("From the patient")
    STAFF = "staff", _("From staff, with a report")


class UploadState(models.TextChoices):
    PENDING = "pending", _("Being processed")
    KEPT = "kept", _("Sent to the clinic")
    REFUSED = "refused", _("Not kept")


class PhotoUpload(models.Model):
    """One photo as it was sent, until it is kept or refused.

    The row is also the work: a worker claims it with a conditional update and a lease, as a
    check-in's send is claimed, so a worker killed while decoding (a time limit, the memory of a
    small host) leaves it pending, and beat's relay gives it to another once the lease lapses, a
    bounded number of times. The refusal is a code, worded in the reader's language when shown.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="photo_uploads")
    report = models.ForeignKey(
        ReactionReport, on_delete=models.PROTECT, null=True, blank=True, related_name="photo_uploads"
    )
    source = models.CharField(max_length=10, choices=PhotoSource.choices)
    # Empty for a photo refused before it was received (photos.uploads.Refused).
    area = models.CharField(max_length=20, choices=Area.choices, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Shown back to whoever sent it ("IMG_4501.jpg was not kept"), with its place in the form.
    name = models.CharField(max_length=100, blank=True)
    number = models.PositiveSmallIntegerField(default=1)
    size = models.PositiveBigIntegerField(default=0)
    # The file as sent, in the "photos" storage; emptied once the photo is kept or refused.
    raw_name = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=UploadState.choices, default=UploadState.PENDING)
    refusal = models.CharField(max_length=30, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    photo = models.OneToOneField(
        "photos.Photo", on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
    )

    class Meta:
        db_table = "recovery_photoupload"
        ordering = ["received_at", "number"]
        indexes = [
            models.Index(fields=["received_at"], condition=Q(state="pending"), name="photo_upload_pending_idx"),
            models.Index(fields=["report", "received_at"], name="photo_upload_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=UploadState.values), name="photo_upload_state_is_known"),
            models.CheckConstraint(condition=Q(source__in=PhotoSource.values), name="photo_upload_source_is_known"),
            models.CheckConstraint(
                condition=~Q(state=UploadState.PENDING) | ~Q(raw_name=""), name="pending_upload_has_its_file"
            ),
            models.CheckConstraint(
                condition=~Q(state=UploadState.REFUSED) | ~Q(refusal=""), name="refused_upload_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.pk} ({self.get_state_display()})"


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PhotoQuerySet":
        return self.filter(session__clinic_id__in=clinic_ids_of(user))


class Photo(models.Model):
    """A photo of a treated area: the session's own, or one sent with a report afterwards.

    The files live in the private "photos" storage under `image_name` and `thumbnail_name`, written
    by `photos.services` from a re-encoded image without metadata; no URL reaches them directly.
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
        db_table = "recovery_photo"
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
        db_table = "recovery_discardedfile"
        constraints = [models.UniqueConstraint(fields=["storage", "name"], name="file_discarded_once")]

    def __str__(self) -> str:
        return self.name
