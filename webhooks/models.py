"""Webhook endpoints a clinic's managers registered, and each event's delivery to each of them."""

import base64
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.models import Clinic
from events.models import DomainEvent, EventKind

URL_MAX_LENGTH = 500
# What a receiver answered, kept as far as anyone reads it in the log.
ANSWER_KEPT = 500


def new_secret() -> str:
    """A signing secret as the Standard Webhooks libraries read it: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class TurnedOff(models.TextChoices):
    FAILING = "failing", _("Turned off: it answered no delivery for too long")
    BY_MANAGER = "by_manager", _("Turned off by a manager")


class Endpoint(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.CharField(_("address"), max_length=URL_MAX_LENGTH)
    # The event kinds it subscribed to (events.models.EventKind).
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=20, choices=TurnedOff.choices, blank=True)
    # Failed attempts since its last delivered one, and when the first of them failed.
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    # When the managers were told it was turned off for failing: once each time it is.
    managers_told_at = models.DateTimeField(null=True, blank=True)
    # Who sent the clinic's events where, and when; never the secret.
    history = HistoricalRecords(excluded_fields=["secret", "consecutive_failures", "failing_since", "managers_told_at"])

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(disabled_at__isnull=True, disabled_reason="")
                | Q(disabled_at__isnull=False, disabled_reason__in=TurnedOff.values),
                name="endpoint_off_with_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:endpoint_detail", args=[self.pk])

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None

    @property
    def event_labels(self) -> list[str]:
        return [label for kind, label in EventKind.choices if kind in self.events]


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    GIVEN_UP = "given_up", _("Given up")


class Delivery(models.Model):
    """One event to one endpoint: its body, signed afresh at each attempt, and when to try again.

    The worker claims it with a conditional update and a lease, so a task run twice, or by two
    workers, makes one attempt; a worker killed mid-attempt leaves the claim to lapse.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(DomainEvent, on_delete=models.PROTECT, related_name="+")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The exact bytes sent and signed, the same at every attempt.
    body = models.TextField()
    state = models.CharField(max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Not tried again after this: a day after the event, or at once after an attempt asked by hand.
    retry_until = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="delivery_log_idx"),
            models.Index(fields=["next_attempt_at"], name="delivery_due_idx", condition=Q(state=DeliveryState.PENDING)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_event_and_endpoint"),
            models.CheckConstraint(condition=Q(state__in=DeliveryState.values), name="delivery_state_is_known"),
        ]

    def __str__(self) -> str:
        return self.webhook_id

    def get_absolute_url(self) -> str:
        return reverse("webhooks:delivery_detail", args=[self.pk])

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same at every attempt, so a receiver can tell a repeat."""
        return f"msg_{self.pk.hex}"


class AttemptError(models.TextChoices):
    TIMEOUT = "timeout", _("No answer in time")
    NO_CONNECTION = "no_connection", _("Could not connect")
    PRIVATE_ADDRESS = "private_address", _("The address leads to a private network")


class Attempt(models.Model):
    """One try at a delivery, and the receiver's answer, if it gave one."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.CharField(max_length=ANSWER_KEPT, blank=True)
    error = models.CharField(max_length=20, choices=AttemptError.choices, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
