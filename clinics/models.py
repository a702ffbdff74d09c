import uuid
import zoneinfo

import phonenumbers
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Offered in the forms and checked by the model, not stored as choices: a new time zone database
# needs no migration.
TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]
# Regions that have telephone numbers, by their ISO 3166 code: the clinic's own, for reading the
# numbers its staff type without the international prefix.
COUNTRY_CHOICES = [
    (code, f"{code} (+{phonenumbers.country_code_for_region(code)})") for code in sorted(phonenumbers.SUPPORTED_REGIONS)
]
# The product brief: check-ins 1, 2, 4, 7 and 14 days after a session, unless the clinic chooses others.
DEFAULT_CHECK_IN_DAYS = [1, 2, 4, 7, 14]
MAX_CHECK_IN_DAY = 90


def validate_country(value) -> None:
    # Checked against the phone library's regions, not stored as choices, so that its updates
    # need no migration.
    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(_("Choose a country from the list."))


def validate_emergency_number(value) -> None:
    if not value.isdigit():
        raise ValidationError(_("Give the number as it is dialled, in digits only, e.g. 15, 112 or 999."))


def validate_time_zone(value) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."))


def default_check_in_days() -> list[int]:
    return list(DEFAULT_CHECK_IN_DAYS)


def validate_check_in_days(value) -> None:
    if not isinstance(value, list) or not all(isinstance(day, int) and not isinstance(day, bool) for day in value):
        raise ValidationError(_("Give the days as a list of whole numbers, e.g. [1, 2, 4, 7, 14]."))
    if any(day < 1 or day > MAX_CHECK_IN_DAY for day in value):
        raise ValidationError(_("Each day must be between 1 and %(max)s.") % {"max": MAX_CHECK_IN_DAY})
    if len(set(value)) != len(value):
        raise ValidationError(_("Each day may appear only once."))


class User(AbstractUser):
    """A member of staff. Patients never have accounts."""

    # Chosen from the language menu, so that what is e-mailed to them reads as their pages do.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the e-mails sent to this person. Empty: their clinic's."),
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Clinic(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    phone = models.CharField(
        _("phone shown to patients"),
        max_length=40,
        help_text=_("The number patients are told to call when they need the clinic."),
    )
    address = models.TextField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("The clinic's postal address, as the regulators' forms ask for the reporter's."),
    )
    report_within_days = models.PositiveSmallIntegerField(
        _("days to report a serious event"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_(
            "Days after a serious complication is confirmed by which it is reported or judged not reportable. "
            "Empty: the country's rule, the next day in France (« sans délai »), elsewhere 15 days, "
            "10 for a death or a life-threatening event."
        ),
    )
    reply_to_email = models.EmailField(
        _("e-mail for patients' replies"),
        blank=True,
        help_text=_(
            "A mailbox the clinic reads: a patient who answers a check-in or guide e-mail writes to it. "
            "Empty: the deployment's REPLY_TO_EMAIL."
        ),
    )
    # Chosen for each clinic, never defaulted: the check-ins go out at its patients' local hours.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Check-ins go out, and every time is shown, on this clock. Left empty, it is the country's."),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default="GB",
        validators=[validate_country],
        help_text=_("Phone numbers typed without an international prefix are read as this country's."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en-gb",
        help_text=_("What the clinic's patients read, unless a patient prefers another language."),
    )
    check_in_days = models.JSONField(
        _("check-in schedule (days after a session)"),
        default=default_check_in_days,
        validators=[validate_check_in_days],
        help_text=_(
            "Days after each session on which a consenting patient is asked how they are, e.g. [1, 2, 4, 7, 14]."
        ),
    )
    emergency_phone = models.CharField(
        _("emergency number"),
        max_length=15,
        validators=[validate_emergency_number],
        help_text=_(
            "What patients with a sign that cannot wait (swelling of the lips or throat, trouble breathing, "
            "a change in eyesight) are told to call: the emergency services where the clinic is, e.g. 15 in "
            "France, 999 in the UK."
        ),
    )
    emergency_phone_other = models.CharField(
        _("other emergency number"),
        max_length=15,
        blank=True,
        validators=[validate_emergency_number],
        help_text=_("Another number that also answers, shown beside it (e.g. 112)."),
    )
    practitioners_need_two_factor = models.BooleanField(
        _("practitioners must use two-factor sign-in"),
        default=False,
        help_text=_(
            "Managers always sign in with a code from an authenticator app. With this on, the clinic's "
            "practitioners do too: those without one are asked to set it up on their next page."
        ),
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="clinics")

    class Meta:
        ordering = ["name"]
        # No patient is ever shown a blank where the number to call should be.
        constraints = [
            models.CheckConstraint(condition=~Q(emergency_phone=""), name="clinic_has_an_emergency_number"),
            models.CheckConstraint(condition=~Q(time_zone=""), name="clinic_has_a_time_zone"),
        ]
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    MANAGER = "manager", _("Manager")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRACTITIONER)

    class Meta:
        ordering = ["clinic__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="one_membership_per_user_and_clinic"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.clinic} ({self.get_role_display()})"
