import uuid
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clinics.limits import NOTE_MAX_LENGTH
from clinics.models import Clinic
from clinics.scoping import clinic_ids_of, managed_clinic_ids_of
from patients.models import Patient


class ProductKind(models.TextChoices):
    HYALURONIC_ACID = "hyaluronic_acid", _("Hyaluronic acid")
    VITAMIN_MINERAL_COCKTAIL = "vitamin_mineral_cocktail", _("Vitamin and mineral cocktail")
    AMINO_ACIDS = "amino_acids", _("Amino acids")
    POLYNUCLEOTIDES = "polynucleotides", _("Polynucleotides")
    PEPTIDES = "peptides", _("Peptides")
    OTHER = "other", _("Other")


class RegulatoryStatus(models.TextChoices):
    MEDICAL_DEVICE = "medical_device", _("Medical device")
    MEDICINE = "medicine", _("Medicine")
    OTHER = "other", _("Other (cosmetic or unclassified)")


class Route(models.TextChoices):
    INTRADERMAL = "intradermal", _("Intradermal")
    SUBCUTANEOUS = "subcutaneous", _("Subcutaneous")
    TOPICAL = "topical", _("Topical")
    OTHER = "other", _("Other")


class Area(models.TextChoices):
    FACE = "face", _("Face")
    NECK = "neck", _("Neck")
    DECOLLETAGE = "decolletage", _("Décolletage")
    SCALP = "scalp", _("Scalp")
    HANDS = "hands", _("Hands")
    OTHER = "other", _("Other")


class Technique(models.TextChoices):
    NAPPAGE = "nappage", _("Nappage")
    PAPULES = "papules", _("Papules")
    POINT_BY_POINT = "point_by_point", _("Point by point")
    INJECTOR_GUN = "injector_gun", _("Injector gun")
    MICRONEEDLING = "microneedling", _("Microneedling")
    OTHER = "other", _("Other")


class Aftercare(models.TextChoices):
    """The aftercare advice from the reference article, given at the end of a session."""

    NO_MAKEUP_24H = "no_makeup_24h", _("No make-up for 24 hours")
    NO_WORKOUT_48H = "no_workout_48h", _("No heavy workout for 24–48 hours")
    NO_SUN_48H = "no_sun_48h", _("No long sun exposure for 24–48 hours")
    COLD_COMPRESS = "cold_compress", _("Cold compress for warmth or puffiness")
    DRINK_WATER = "drink_water", _("Drink water")
    GENTLE_WASHING = "gentle_washing", _("Gentle washing, no rubbing")


class ProductQuerySet(models.QuerySet):
    def managed_by(self, user) -> "ProductQuerySet":
        return self.filter(clinic_id__in=managed_clinic_ids_of(user))


class Product(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="products", verbose_name=_("clinic"))
    name = models.CharField(_("name"), max_length=120)
    manufacturer = models.CharField(_("manufacturer"), max_length=120)
    kind = models.CharField(_("kind"), max_length=40, choices=ProductKind.choices)
    active_ingredients = models.TextField(_("active ingredients"), max_length=NOTE_MAX_LENGTH, blank=True)
    # What a report to the regulator or the manufacturer says of the product.
    common_name = models.CharField(
        _("common name"),
        max_length=120,
        blank=True,
        help_text=_("The generic name, e.g. non-cross-linked hyaluronic acid."),
    )
    regulatory_status = models.CharField(
        _("regulatory status"), max_length=20, choices=RegulatoryStatus.choices, default=RegulatoryStatus.MEDICAL_DEVICE
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, default=Route.INTRADERMAL)
    manufacturer_address = models.TextField(_("manufacturer's address"), max_length=300, blank=True)
    catalogue_reference = models.CharField(
        _("catalogue reference"),
        max_length=60,
        blank=True,
        help_text=_("The manufacturer's reference (REF) on the box."),
    )
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        blank=True,
        help_text=_("The product number under the box's barcode, so scanned boxes find the product."),
    )
    hibc = models.CharField(
        _("HIBC product code"),
        max_length=23,
        blank=True,
        help_text=_(
            "For boxes labelled in HIBC: what follows the + of the box's HIBC code, up to its unit of measure "
            "(such as A99912345), so scanned boxes find the product."
        ),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name", "manufacturer"], name="product_unique_per_clinic"),
            models.UniqueConstraint(fields=["clinic", "gtin"], condition=~Q(gtin=""), name="gtin_unique_per_clinic"),
            models.CheckConstraint(
                condition=Q(regulatory_status__in=RegulatoryStatus.values), name="product_regulatory_status_is_known"
            ),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="product_route_is_known"),
            # Stored as the 14 digits GS1 codes carry, so a scan finds it whatever length was typed.
            models.CheckConstraint(condition=Q(gtin="") | Q(gtin__regex=r"^[0-9]{14}$"), name="gtin_has_14_digits"),
            models.UniqueConstraint(fields=["clinic", "hibc"], condition=~Q(hibc=""), name="hibc_unique_per_clinic"),
            # Labeler code, product number and unit of measure (ANSI/HIBC 2.6), as treatments.hibc reads them.
            models.CheckConstraint(
                condition=Q(hibc="") | Q(hibc__regex=r"^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}[0-9]$"),
                name="hibc_is_a_product_code",
            ),
            models.CheckConstraint(condition=Q(kind__in=ProductKind.values), name="product_kind_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.manufacturer})"

    def get_absolute_url(self) -> str:
        return reverse("treatments:product_detail", args=[self.pk])


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BatchQuerySet":
        return self.filter(product__clinic_id__in=clinic_ids_of(user))

    def managed_by(self, user) -> "BatchQuerySet":
        return self.filter(product__clinic_id__in=managed_clinic_ids_of(user))


# The characters GS1 allows in a lot (less the double quote), and spaces: what a label prints.
# No line break, tab or quote can reach a CSV cell, a file name or a header through a lot number.
lot_number_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9 !%&'()*+,./:;<=>?_-]*$",
    _("Use the letters, digits and punctuation printed on the label: no line breaks, tabs or double quotes."),
)


class Batch(models.Model):
    """A lot of a product in a clinic's stock. Its clinic is its product's clinic."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="batches", verbose_name=_("product"))
    lot_number = models.CharField(_("lot number"), max_length=60, validators=[lot_number_validator])
    expiry_date = models.DateField(_("expiry date"))
    supplier = models.CharField(_("supplier"), max_length=120, blank=True)
    received_on = models.DateField(_("date received"))
    quarantined_at = models.DateTimeField(_("quarantined"), null=True, blank=True)
    quarantined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quarantine_reason = models.TextField(_("reason for quarantine"), max_length=NOTE_MAX_LENGTH, blank=True)
    history = HistoricalRecords()

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["product__name", "expiry_date"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(Lower("lot_number"), "product", name="lot_number_unique_per_product"),
            models.CheckConstraint(
                condition=Q(expiry_date__gte=models.F("received_on")), name="batch_expires_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(quarantined_at__isnull=True) | ~Q(quarantine_reason=""), name="quarantine_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return _("%(product)s – lot %(lot)s") % {"product": self.product.name, "lot": self.lot_number}

    def get_absolute_url(self) -> str:
        return reverse("batches:detail", args=[self.pk])

    def is_expired_on(self, day: date) -> bool:
        return self.expiry_date < day

    @property
    def is_quarantined(self) -> bool:
        return self.quarantined_at is not None


class TreatmentSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TreatmentSessionQuerySet":
        return self.filter(clinic_id__in=clinic_ids_of(user))


class TreatmentSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("clinic"))
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("patient"))
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="treatment_sessions",
        verbose_name=_("practitioner"),
    )
    performed_at = models.DateTimeField(_("date and time"))
    technique = models.CharField(_("technique"), max_length=30, choices=Technique.choices)
    technique_other = models.CharField(_("other technique"), max_length=120, blank=True)
    aftercare = models.JSONField(_("aftercare advice given"), default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The session's place in the patient's series (1st, 2nd, ...), in time order. Stored,
    # so the audit counts by it without a subquery per session; `session_create`
    # renumbers the later sessions when an earlier one is logged late.
    series_number = models.PositiveIntegerField(_("session in the series"), default=1, editable=False)
    # Where a session brought in from another system came from (the import's source name); empty for a
    # session logged here. Such a session is history: it counts in the audit, never sends anything.
    source = models.CharField(_("imported from"), max_length=120, blank=True, editable=False)
    # The other system's number for an imported session: importing the same file again finds it.
    external_id = models.CharField(_("number in the system it came from"), max_length=64, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["series_number"])

    objects = TreatmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_at"]
        verbose_name = _("treatment session")
        verbose_name_plural = _("treatment sessions")
        indexes = [
            # Session lists across several clinics read the newest first.
            models.Index(fields=["-performed_at"], name="session_time_idx"),
            models.Index(fields=["clinic", "performed_at"], name="session_clinic_time_idx"),
            models.Index(fields=["patient", "performed_at"], name="session_patient_time_idx"),
            models.Index(fields=["practitioner", "performed_at"], name="session_practitioner_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(technique__in=Technique.values), name="session_technique_is_known"),
            models.CheckConstraint(
                condition=~Q(technique=Technique.OTHER) | ~Q(technique_other=""),
                name="other_technique_is_described",
            ),
            models.UniqueConstraint(
                fields=["clinic", "external_id"],
                condition=~Q(external_id=""),
                name="session_external_id_unique_per_clinic",
            ),
        ]

    def __str__(self) -> str:
        # On its clinic's clock, not as stored (UTC): the admin lists sessions by it.
        return f"{self.patient} – {timezone.localtime(self.performed_at, self.clinic.zone):%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("photos:session_detail", args=[self.pk])

    @property
    def technique_label(self) -> str:
        return self.technique_other if self.technique == Technique.OTHER else self.get_technique_display()

    @property
    def aftercare_labels(self) -> list[str]:
        return [Aftercare(code).label for code in self.aftercare if code in Aftercare.values]


class SessionArea(models.Model):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    description = models.CharField(_("description"), max_length=120, blank=True)

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["session", "area"], name="area_once_per_session"),
            models.CheckConstraint(condition=Q(area__in=Area.values), name="area_is_known"),
            models.CheckConstraint(condition=~Q(area=Area.OTHER) | ~Q(description=""), name="other_area_is_described"),
        ]

    def __str__(self) -> str:
        if self.area == Area.OTHER:
            return self.description
        # Its own label translated, where the model's display would translate every area's to find it.
        return str(Area(self.area).label) if self.area in Area.values else self.area


class SessionProduct(models.Model):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="products_used")
    # Indexed with the session's time below: a batch's sessions are counted and listed from the index alone.
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="uses", verbose_name=_("batch"), db_index=False
    )
    volume_ml = models.DecimalField(_("volume (mL)"), max_digits=6, decimal_places=2)
    # The session's time and patient, kept with the use so that a batch's page lists its latest uses
    # and counts its patients from the index below, where it would read every session that ever used
    # the batch. A session's time and patient never change once it is saved but by an import, which
    # moves its uses' time with it.
    performed_at = models.DateTimeField(editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+", editable=False, db_index=False)
    # A session logged here cannot use an expired batch; a past session brought in may have: it is
    # kept as it happened, marked, and counted by the audit.
    expired_at_use = models.BooleanField(_("used after its expiry"), default=False, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="volume_is_positive"),
        ]
        # The audit counts the few uses after expiry among a year of sessions without reading them all.
        indexes = [
            models.Index(fields=["session"], name="product_use_expired_idx", condition=Q(expired_at_use=True)),
            models.Index(
                fields=["batch", "performed_at", "session"], include=["patient"], name="product_use_batch_time_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} – {self.volume_ml} mL"


class SessionZone(models.Model):
    """A zone of the face chart the session treated (`treatments.chart.ZONES`, checked by the service)."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="zones")
    zone = models.CharField(_("zone"), max_length=30)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["session", "zone"], name="zone_charted_once_per_session")]

    def __str__(self) -> str:
        return self.zone


class InjectionPoint(models.Model):
    """Where on a diagram a product went: coordinates relative to the diagram (0 to 1 across and
    down), so the chart is data, drawn again at any size, and never an image."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="injection_points")
    product_use = models.ForeignKey(SessionProduct, on_delete=models.CASCADE, related_name="points")
    diagram = models.CharField(_("diagram"), max_length=30)
    zone = models.CharField(_("zone"), max_length=30)
    x = models.DecimalField(max_digits=5, decimal_places=4)
    y = models.DecimalField(max_digits=5, decimal_places=4)
    volume_ml = models.DecimalField(_("volume (mL)"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1), name="point_on_the_diagram"),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="point_volume_is_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} – {self.volume_ml} mL"
