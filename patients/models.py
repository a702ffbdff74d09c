import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import PhoneNumber
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from clinics.scoping import clinic_ids_of


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PatientQuerySet":
        return self.filter(clinic_id__in=clinic_ids_of(user))


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients", verbose_name=_("clinic"))
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"))
    # Asked by every regulator's form; empty where it was not recorded.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = PhoneNumberField(
        _("mobile phone"), blank=True, help_text=_("Check-in messages are texted to it; calls too.")
    )
    sensitivities = models.TextField(
        _("known sensitivities and allergies"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text=_("Ingredients, medicines or materials the patient reacts to."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("For the patient's messages and pages; empty: the clinic's language."),
    )
    consents_to_check_ins = models.BooleanField(
        _("consents to check-in messages"),
        default=False,
        help_text=_("The patient agreed to receive check-in messages with a private link after each session."),
    )
    consents_to_photos = models.BooleanField(
        _("consents to photos"),
        default=False,
        help_text=_("The patient agreed that photos of the treated skin are taken and kept with their record."),
    )
    photo_consent_on = models.DateField(_("consent to photos given on"), null=True, blank=True, editable=False)
    # The patient replied STOP to the clinic's texts (the provider refuses to text the number):
    # texts stop, e-mails go on. Cleared when staff change the number or the patient asks again.
    texts_stopped_at = models.DateTimeField(_("replied STOP to texts on"), null=True, blank=True, editable=False)
    # The patient's number in the system their history was imported from: importing it again finds them.
    external_id = models.CharField(_("number in the system they came from"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        indexes = [models.Index(fields=["clinic", "last_name", "first_name"], name="patient_clinic_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consents_to_photos=False) | models.Q(photo_consent_on__isnull=False),
                name="photo_consent_has_its_date",
            ),
            models.UniqueConstraint(
                fields=["clinic", "external_id"],
                condition=~models.Q(external_id=""),
                name="patient_external_id_unique_per_clinic",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("treatments:patient_detail", args=[self.pk])

    @property
    def phone_to_dial(self) -> str:
        """The number in E.164 for a tel: link; none for a number kept from before it was checked."""
        # Validated once: `if phone` would format the number, and formatting validates it again.
        phone = self.phone
        return phone.as_e164 if isinstance(phone, PhoneNumber) and phone.is_valid() else ""

    def photo_consent_set(self, consents: bool, *, today: date) -> None:
        """Consent to photos is dated the day it is first given; withdrawn, it has no date."""
        self.consents_to_photos = consents
        if not consents:
            self.photo_consent_on = None
        elif not self.photo_consent_on:
            self.photo_consent_on = today

    @property
    def language_spoken(self) -> str:
        """What the patient reads: their own language, else their clinic's."""
        return self.language or self.clinic.language

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
