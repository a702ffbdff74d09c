"""What reporting a confirmed complication adds to its record: the details only the clinic can give
(weight, history, other medicines), each report sent (to whom, when, the reference given back), the
judgement that an event is not reportable, and the reminder sent when neither came in time."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH
from recovery.models import Complication


class Recipient(models.TextChoices):
    MHRA = "mhra", _("MHRA Yellow Card (United Kingdom)")
    FDA = "fda", _("FDA MedWatch 3500 (United States)")
    ANSM = "ansm", _("ANSM matériovigilance (France)")
    MANUFACTURER = "manufacturer", _("The manufacturer")


class EventDetails(models.Model):
    """What the forms ask and the record cannot know, asked once on the report pack and kept."""

    complication = models.OneToOneField(Complication, on_delete=models.PROTECT, related_name="report_details")
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(400)],
    )
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(250)]
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    concomitant_medicines = models.TextField(
        _("other medicines taken"), max_length=NOTE_MAX_LENGTH, blank=True, help_text=_("With their doses and dates.")
    )
    relevant_history = models.TextField(
        _("relevant medical history"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Conditions, earlier treatments of the area, pregnancy."),
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.complication)


class Submission(models.Model):
    """A report of the event sent to a regulator or the manufacturer."""

    complication = models.ForeignKey(Complication, on_delete=models.PROTECT, related_name="submissions")
    recipient = models.CharField(_("sent to"), max_length=20, choices=Recipient.choices)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, help_text=_("The number the regulator or manufacturer gave back.")
    )
    sent_on = models.DateField(_("sent on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(recipient__in=Recipient.values), name="submission_recipient_is_known")
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} – {self.sent_on:%d %b %Y}"


class NotReportable(models.Model):
    """A manager's judgement that a serious event need not be reported, and why."""

    complication = models.OneToOneField(Complication, on_delete=models.PROTECT, related_name="not_reportable")
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="not_reportable_says_why")]

    def __str__(self) -> str:
        return str(self.complication)


class ReportReminder(models.Model):
    """The managers were told the event's report is late: once, whatever the number of sweeps."""

    complication = models.OneToOneField(Complication, on_delete=models.CASCADE, related_name="report_reminder")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.complication} ({self.sent_at:%d %b %Y})"
