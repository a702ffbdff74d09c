"""The import's file format: for each kind of file, its columns, in the order of its template.

One list, read by the templates a manager downloads, the mapping page, the checks of a dry run and the
clinic's export, so a clinic's export is a file the import reads as it is. Values are the codes listed
with each column (a label in English or in the clinic's language is read too); a list holds its values
separated by `|`; a date is ISO 8601 (or a date as a spreadsheet stores it); a time is on the clinic's
clock unless it states its offset.

Each kind is keyed so that importing the same file twice changes nothing:
patients, sessions by their external id (the other system's number; the export writes ours);
products by GTIN, else name and manufacturer; batches by product and lot;
reactions by session, time and sign; complications by session, type and onset.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clinics.limits import NOTE_MAX_LENGTH


class ValueKind:
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    DECIMAL = "decimal"
    INTEGER = "integer"
    CHOICE = "choice"
    CHOICES = "choices"  # several codes, separated by |
    YES_NO = "yes_no"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class Column:
    name: str
    label: Promise
    kind: str = ValueKind.TEXT
    required: bool = False
    max_length: int | None = None
    # Where the accepted values come from: "model.Field" choices, or the clinic's catalogue.
    values_from: str = ""
    help: Promise | str = ""


@dataclass(frozen=True)
class FileKind:
    code: str
    label: Promise
    columns: tuple[Column, ...]
    help: Promise

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


EXTERNAL_ID_MAX_LENGTH = 64
LIST_SEPARATOR = "|"

PATIENTS = FileKind(
    "patients",
    _("Patients"),
    (
        Column(
            "external_id",
            _("Patient number"),
            required=True,
            max_length=EXTERNAL_ID_MAX_LENGTH,
            help=_("The patient's number in the system the file comes from."),
        ),
        Column("first_name", _("First name"), required=True, max_length=80),
        Column("last_name", _("Last name"), required=True, max_length=80),
        Column("date_of_birth", _("Date of birth"), ValueKind.DATE, required=True),
        Column("sex", _("Sex"), ValueKind.CHOICE, values_from="patients.Patient.sex"),
        Column("email", _("E-mail"), ValueKind.EMAIL, max_length=254),
        Column(
            "phone",
            _("Mobile phone"),
            ValueKind.PHONE,
            max_length=32,
            help=_("With its country code, or as dialled in the clinic's country."),
        ),
        Column("language", _("Language"), ValueKind.CHOICE, values_from="patients.Patient.language"),
        Column("consents_to_check_ins", _("Consents to check-in messages"), ValueKind.YES_NO),
        Column("consents_to_photos", _("Consents to photos"), ValueKind.YES_NO),
        Column("sensitivities", _("Known sensitivities and allergies"), max_length=NOTE_MAX_LENGTH),
    ),
    _("One line per patient."),
)

PRODUCTS = FileKind(
    "products",
    _("Products"),
    (
        Column("name", _("Name"), required=True, max_length=120),
        Column("manufacturer", _("Manufacturer"), required=True, max_length=120),
        Column("kind", _("Kind"), ValueKind.CHOICE, required=True, values_from="treatments.Product.kind"),
        Column("gtin", _("GTIN"), max_length=14, help=_("The 8, 12, 13 or 14 digits under the box's barcode.")),
        Column("common_name", _("Common name"), max_length=120),
        Column(
            "regulatory_status",
            _("Regulatory status"),
            ValueKind.CHOICE,
            values_from="treatments.Product.regulatory_status",
        ),
        Column("route", _("Route"), ValueKind.CHOICE, values_from="treatments.Product.route"),
        Column("catalogue_reference", _("Catalogue reference"), max_length=60),
        Column("active_ingredients", _("Active ingredients"), max_length=NOTE_MAX_LENGTH),
    ),
    _("One line per product."),
)

# A batch, and a product used in a session, name their product by GTIN, else by name and manufacturer.
_PRODUCT_REFERENCE = (
    Column("product_gtin", _("Product GTIN"), max_length=14),
    Column("product_name", _("Product name"), max_length=120),
    Column("product_manufacturer", _("Product manufacturer"), max_length=120),
)

BATCHES = FileKind(
    "batches",
    _("Batches"),
    (
        *_PRODUCT_REFERENCE,
        Column("lot_number", _("Lot number"), required=True, max_length=60),
        Column("expiry_date", _("Expiry date"), ValueKind.DATE, required=True),
        Column("supplier", _("Supplier"), max_length=120),
        Column("received_on", _("Date received"), ValueKind.DATE, required=True),
    ),
    _("One line per batch. Its product is named by GTIN, or by name and manufacturer."),
)

SESSIONS = FileKind(
    "sessions",
    _("Past sessions"),
    (
        Column("external_id", _("Session number"), required=True, max_length=EXTERNAL_ID_MAX_LENGTH),
        Column("patient_external_id", _("Patient number"), required=True, max_length=EXTERNAL_ID_MAX_LENGTH),
        Column("performed_at", _("Date and time"), ValueKind.DATETIME, required=True),
        Column(
            "practitioner_email",
            _("Practitioner's e-mail"),
            ValueKind.EMAIL,
            required=True,
            max_length=254,
            help=_("A practitioner of the clinic, as they sign in."),
        ),
        Column(
            "technique",
            _("Technique"),
            ValueKind.CHOICE,
            required=True,
            values_from="treatments.TreatmentSession.technique",
        ),
        Column("technique_other", _("Other technique"), max_length=120),
        Column("areas", _("Areas"), ValueKind.CHOICES, required=True, values_from="treatments.SessionArea.area"),
        Column("notes", _("Notes"), max_length=NOTE_MAX_LENGTH),
        *_PRODUCT_REFERENCE,
        Column("lot_number", _("Lot number"), max_length=60),
        Column("volume_ml", _("Volume (mL)"), ValueKind.DECIMAL),
    ),
    _(
        "One line per product used; the lines of a session share its number and repeat its date, "
        "patient, practitioner, technique and areas. A session with no product has one line without one."
    ),
)

REACTIONS = FileKind(
    "reactions",
    _("Past reactions"),
    (
        Column("session_external_id", _("Session number"), required=True, max_length=EXTERNAL_ID_MAX_LENGTH),
        Column("reported_at", _("When the patient had it"), ValueKind.DATETIME, required=True),
        Column(
            "reaction",
            _("Reaction"),
            ValueKind.CHOICE,
            values_from="catalogue.reactions",
            help=_("A reaction of the clinic's catalogue, by its code."),
        ),
        Column("severity", _("Severity"), ValueKind.CHOICE, values_from="recovery.Severity"),
        Column(
            "red_flag",
            _("Red flag"),
            ValueKind.CHOICE,
            values_from="catalogue.red_flags",
            help=_("A red flag of the clinic's catalogue the patient had, by its code."),
        ),
        Column("note", _("Note"), max_length=NOTE_MAX_LENGTH),
    ),
    _(
        "One line per reaction or red flag; the lines of a session at the same time are one report. "
        "A line names a reaction with its severity, or a red flag."
    ),
)

COMPLICATIONS = FileKind(
    "complications",
    _("Confirmed complications"),
    (
        Column("session_external_id", _("Session number"), required=True, max_length=EXTERNAL_ID_MAX_LENGTH),
        Column(
            "complication_type",
            _("Type"),
            ValueKind.CHOICE,
            required=True,
            values_from="recovery.Complication.complication_type",
        ),
        Column("onset_at", _("Onset"), ValueKind.DATETIME, required=True),
        Column("grade", _("Grade (CTCAE v5)"), ValueKind.INTEGER, values_from="recovery.Complication.grade"),
        Column("seriousness", _("Seriousness criteria"), ValueKind.CHOICES, values_from="recovery.SERIOUSNESS"),
        Column("outcome", _("Outcome"), ValueKind.CHOICE, values_from="recovery.Complication.outcome"),
        Column("resolved_on", _("Resolution date"), ValueKind.DATE),
        Column("treatments_given", _("Treatment given"), ValueKind.CHOICES, values_from="recovery.TreatmentGiven"),
        Column("note", _("Note"), max_length=NOTE_MAX_LENGTH),
    ),
    _("One line per confirmed complication."),
)

# In the order a clinic's history is brought in: each kind names only kinds before it.
KINDS = {kind.code: kind for kind in (PATIENTS, PRODUCTS, BATCHES, SESSIONS, REACTIONS, COMPLICATIONS)}

# The columns a record keeps as they are: compared by the dry run, written by the writer. The keys
# (numbers, a batch's product and lot) find the record instead.
PATIENT_FIELDS = tuple(name for name in PATIENTS.names if name != "external_id")
PRODUCT_FIELDS = PRODUCTS.names
BATCH_FIELDS = ("expiry_date", "supplier", "received_on")
