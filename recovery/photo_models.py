"""Photos as they arrive, before they are safe to keep: the file as sent waits in private storage,
with a row of its own, until a worker has decoded it into a `Photo` or refused it with a reason.

Apart from recovery.models so that the photos' models can grow without that module doing so; it
refers to the models there by name, and recovery.models brings these in.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        "recovery.ReactionReport", on_delete=models.PROTECT, null=True, blank=True, related_name="photo_uploads"
    )
    source = models.CharField(max_length=10, choices=PhotoSource.choices)
    # Empty for a photo refused before it was received (recovery.photo_uploads.Refused).
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
        "recovery.Photo", on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
    )

    class Meta:
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
