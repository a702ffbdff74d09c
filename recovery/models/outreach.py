"""The messages a session's patient is sent: the check-ins and the recovery guide."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.channels import Channels, new_code
from treatments.models import TreatmentSession


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")
    FAILED = "failed", _("Could not be sent")
    CANCELLED = "cancelled", _("Cancelled: no consent")


class CheckIn(Channels):
    """A moment after the session at which the patient is asked how they are.

    The row is the schedule and the send queue at once: beat finds the due rows,
    and a conditional update on `status` claims each one, so however many workers
    or beats run only one sends it at a time; a worker killed after sending sends
    it again when its claim lapses (at least once; see messaging.handoff).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="check_ins")
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED)
    claimed_until = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    # Each channel is marked as soon as it has gone, so a retry sends only what is missing.
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    report = models.OneToOneField(
        "ReactionReport", on_delete=models.PROTECT, null=True, blank=True, related_name="check_in"
    )
    # The link's code (/c/<code>); none for check-ins sent with the long signed link only (NULL, not
    # "", since the codes are unique).
    code = models.CharField(max_length=16, unique=True, null=True, default=new_code, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="check_in_status_due_idx"),
            models.Index(fields=["given_up_at"], name="check_in_given_up_idx", condition=Q(given_up_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "due_at"], name="one_check_in_per_moment"),
            models.CheckConstraint(condition=Q(status__in=CheckInStatus.values), name="check_in_status_is_known"),
            models.CheckConstraint(
                condition=~Q(status=CheckInStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="answered_check_in_has_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.due_at:%d %b %Y}"


class GuideStatus(models.TextChoices):
    PENDING = "pending", _("On its way")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")
    CANCELLED = "cancelled", _("Not sent: no consent")


class GuideMessage(Channels):
    """One message to the patient carrying the link to their recovery guide: the outbox row.

    Written in the transaction that logs the session (or by staff sending it again), so a
    broker outage loses nothing: the relay on beat finds the row. The send claims it with a
    conditional update and a lease, as a check-in's does; each message has an id of its own,
    so a repeat after a dead worker carries the same Message-ID and idempotency key, while a
    message staff send again is a new one the patient's mailbox will not fold into the first.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="guide_messages")
    # Empty for the guide sent when the session was logged.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=GuideStatus.choices, default=GuideStatus.PENDING)
    claimed_until = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    # Each channel is marked as soon as it has gone, so a retry sends only what is missing.
    emailed_at = models.DateTimeField(null=True, blank=True)
    texted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The short link's code (/g/<code>); the session's first message's is the one every message carries.
    code = models.CharField(max_length=16, unique=True, null=True, default=new_code, editable=False)  # noqa: DJ001

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="guide_message_outbox_idx"),
            models.Index(fields=["given_up_at"], name="guide_given_up_idx", condition=Q(given_up_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GuideStatus.values), name="guide_status_is_known"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(requested_by__isnull=True), name="one_automatic_guide_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.created_at:%d %b %Y %H:%M}"
