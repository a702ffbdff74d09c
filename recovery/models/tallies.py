"""The complication audit's counts, kept per clinic day (and per zone of the face chart)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic


class TallyDimension(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    SERIES = "series", _("Session in the series")
    PRODUCT = "product", _("Product")
    BATCH = "batch", _("Batch")
    AREA = "area", _("Treated area")
    # Keyed by CTCAE grade and seriousness criterion: each row counts the sessions with a confirmed
    # complication of that grade or criterion, so one session may count under several keys.
    SEVERITY = "severity", _("Grade or seriousness")


class AuditTally(models.Model):
    """How many of one clinic day's sessions had a complication, for one practitioner, series place,
    product, batch or area: the audit of a year sums a few thousand of these instead of counting
    a third of a million sessions.

    Recounted from the recoveries, in the transaction that changes what it counts, by
    `recovery.tallies`; never edited by hand.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    dimension = models.CharField(max_length=20, choices=TallyDimension.choices)
    key = models.CharField(max_length=64)
    sessions = models.PositiveIntegerField()
    reported = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "day", "dimension", "key"], name="one_tally_per_clinic_day_key"),
            models.CheckConstraint(
                condition=Q(reported__lte=F("sessions")) & Q(confirmed__lte=F("sessions")),
                name="tally_events_within_sessions",
            ),
        ]
        # The audit's monthly line sums a year of the series rows alone, from this small index.
        indexes = [
            models.Index(
                fields=["clinic", "day"],
                include=["sessions", "reported", "confirmed"],
                condition=Q(dimension="series"),
                name="audit_tally_series_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}: {self.reported}/{self.confirmed}/{self.sessions}"


class TallyDay(models.Model):
    """A clinic day whose tallies are kept. Its row is locked while they are recounted, so two
    transactions changing the same day's sessions recount one after the other."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "day"], name="one_tally_day_per_clinic_day")]

    def __str__(self) -> str:
        return f"{self.clinic_id} {self.day}"


class ZoneTally(models.Model):
    """How many of one clinic day's sessions treated one zone of the face chart, and of those how many
    had a reaction marked there or a complication confirmed; and how many had a reaction marked there
    beyond what they treated. The zone map of a year sums these.

    Recounted with the day's `AuditTally` rows, under the same lock, by `recovery.zone_tallies`.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    zone = models.CharField(max_length=30)
    sessions = models.PositiveIntegerField()
    reacted = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()
    beyond = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "day", "zone"], name="one_zone_tally_per_clinic_day_zone"),
            models.CheckConstraint(
                condition=Q(reacted__lte=F("sessions")) & Q(confirmed__lte=F("sessions")),
                name="zone_tally_events_within_sessions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.zone}: {self.reacted}/{self.confirmed}/{self.sessions} (+{self.beyond})"
