"""Staff notifications, with the outbox that e-mails each one."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messaging.reach import Reach

from .recoveries import Recovery


class NotificationKind(models.TextChoices):
    RED_FLAG = "red_flag", _("Red flag reported")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    OVERDUE = "overdue", _("Overdue")
    MISSED_CHECK_IN = "missed_check_in", _("Missed check-in")
    NOT_REACHED = "not_reached", _("Not reached")
    BATCH_CLUSTER = "batch_cluster", _("Batch with several complications")
    REPORT_LATE = "report_late", _("Serious event not yet reported")


class Notification(models.Model):
    """An in-app message to a member of staff; the outbox that delivers it by email too.

    Written in the same transaction as the event that causes it, so a report is
    never stored without its notification, even when the broker is down. The
    delivery task claims the row with a conditional update and a lease: a second
    run, or a second worker, finds it claimed or delivered and does nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    # What the kind's words need (recovery.notification_words), never the words: each reader reads
    # them in their own language.
    params = models.JSONField(default=dict, blank=True)
    # One notification per recipient and event: "red flag in report X", "overdue since T".
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # As a patient's message: retried after a failure that may pass, never sent twice, given up.
    email_result = models.CharField(max_length=12, choices=Reach.choices, blank=True)
    email_retry_at = models.DateTimeField(null=True, blank=True)
    email_given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "created_at"], name="notification_outbox_idx"),
            models.Index(
                fields=["email_given_up_at"],
                name="notification_given_up_idx",
                condition=Q(email_given_up_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event"),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_is_known"),
        ]

    def __str__(self) -> str:
        return self.text
