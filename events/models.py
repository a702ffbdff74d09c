"""What happened that other systems may be told of (webhooks): an outbox of domain events.

Each event is written by the service that made the change, in the change's own transaction, so a
change never commits without its event, nor an event without its change, whether or not the broker
answers. An event names what changed by its ids alone, never a patient's name or health detail.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic


class EventKind(models.TextChoices):
    NEEDS_ATTENTION = "recovery.needs_attention", _("A recovery needs attention")
    OVERDUE = "recovery.overdue", _("A recovery is overdue")
    CHECK_IN_MISSED = "check_in.missed", _("A check-in is missed")
    COMPLICATION_CONFIRMED = "complication.confirmed", _("A complication is confirmed")
    BATCH_QUARANTINED = "batch.quarantined", _("A batch is quarantined")


# The status each event reports: what the recovery, check-in, complication or batch became.
STATUS_OF = {
    EventKind.NEEDS_ATTENTION: "needs_attention",
    EventKind.OVERDUE: "overdue",
    EventKind.CHECK_IN_MISSED: "missed",
    EventKind.COMPLICATION_CONFIRMED: "confirmed",
    EventKind.BATCH_QUARANTINED: "quarantined",
}


class DomainEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    # The public ids of what changed, by name ("session", "recovery", "check_in", "batch", "product").
    subject = models.JSONField(default=dict)
    # One event per transition however often its writer runs: "recovery.overdue:<session>:<moment>".
    key = models.CharField(max_length=200, unique=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    # When its deliveries were made (webhooks); until then the relay hands it over again.
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at"]
        indexes = [
            models.Index(
                fields=["recorded_at"], name="event_undispatched_idx", condition=Q(dispatched_at__isnull=True)
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def status(self) -> str:
        return STATUS_OF[self.kind]
