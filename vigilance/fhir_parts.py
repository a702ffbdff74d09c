"""The FHIR R4 resources around an adverse event, as plain dicts: the patient (no name), the session
as a Procedure, each lot used as a Device, Medication or Substance, and each answered check-in as a
QuestionnaireResponse. `vigilance.fhir` gathers them into the event's bundle.

How the resources name one another is the caller's `Addressing`: inside the event's collection bundle
each is a urn:uuid (`IN_BUNDLE`); on a FHIR server each is `<type>/<id>` at its own address."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from patients.models import Patient, Sex
from recovery.models import ReactionReport
from recovery.rules import Severity
from treatments.chart import ZONES
from treatments.models import Batch, RegulatoryStatus, SessionProduct, TreatmentSession

GS1_DEVICE_IDENTIFIER = "http://hl7.org/fhir/NamingSystem/gs1-di"
GS1_GTIN = "https://www.gs1.org/gtin"
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}


def local_system(name: str) -> str:
    """A code system or identifier namespace of this deployment: its codes mean what its pages say."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/{name}"


def uuid_for(kind: str, key) -> str:
    """A stable uuid for a record whose own id is not one, so the bundle names it alike every time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{local_system(kind)}/{key}"))


@dataclass(frozen=True)
class Addressing:
    """`record_id(kind, key)` is the id of a resource whose record has no uuid of its own (a
    complication); `reference(resource)` points at a resource from another."""

    record_id: Callable[[str, object], str]
    reference: Callable[[dict], dict]


# A collection bundle names its entries by urn:uuid, so a record without a uuid gets a stable one.
IN_BUNDLE = Addressing(record_id=uuid_for, reference=lambda resource: {"reference": f"urn:uuid:{resource['id']}"})


def instant(moment: datetime, zone) -> str:
    """A dateTime on the clinic's clock, with its offset, as FHIR requires of a time."""
    return timezone.localtime(moment, zone).isoformat(timespec="seconds")


def concept(system: str, code: str, display: str, text: str | None = None) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": text or display}


def initials_of(patient: Patient) -> str:
    return "".join(part[:1].upper() for part in (patient.first_name, patient.last_name))


def patient_resource(patient: Patient) -> dict:
    """Enough to tell the patient's events apart, not to find them: the local id, the initials as an
    anonymous name, the sex, and the year of birth only (the forms ask for the age, which a year gives
    to within one; a full date of birth with initials and a town narrows to a person)."""
    return {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [{"system": local_system("patient"), "value": str(patient.pk)}],
        "name": [{"use": "anonymous", "text": initials_of(patient)}],
        "gender": GENDER.get(patient.sex, "unknown"),
        "birthDate": str(patient.date_of_birth.year),
    }


def _expiry(day: date) -> str:
    return day.isoformat()


def product_resource(batch: Batch) -> dict:
    """The lot used, as the resource its regulatory status makes it: a medical device with its UDI
    (GTIN, expiry and lot in GS1's human-readable form), a medicine with its batch, anything else a
    substance with its lot."""
    product = batch.product
    name = product.name
    kind = product.get_kind_display()
    common = product.common_name or kind
    resource_id = str(batch.pk)
    if product.regulatory_status == RegulatoryStatus.MEDICAL_DEVICE:
        device = {
            "resourceType": "Device",
            "id": resource_id,
            "lotNumber": batch.lot_number,
            "expirationDate": _expiry(batch.expiry_date),
            "manufacturer": product.manufacturer,
            "deviceName": [{"name": name, "type": "user-friendly-name"}],
            "type": {"text": common},
        }
        if product.gtin:
            device["udiCarrier"] = [
                {
                    "deviceIdentifier": product.gtin,
                    "issuer": GS1_DEVICE_IDENTIFIER,
                    "carrierHRF": f"(01){product.gtin}(17){batch.expiry_date:%y%m%d}(10){batch.lot_number}",
                }
            ]
        if product.catalogue_reference:
            device["partNumber"] = product.catalogue_reference
        return device
    identifiers = [{"system": GS1_GTIN, "value": product.gtin}] if product.gtin else []
    if product.regulatory_status == RegulatoryStatus.MEDICINE:
        medication = {
            "resourceType": "Medication",
            "id": resource_id,
            "code": {"text": f"{name} ({common})"},
            "manufacturer": {"display": product.manufacturer},
            "batch": {"lotNumber": batch.lot_number, "expirationDate": _expiry(batch.expiry_date)},
        }
        return {**medication, "identifier": identifiers} if identifiers else medication
    substance = {
        "resourceType": "Substance",
        "id": resource_id,
        "code": {"text": f"{name} ({common}), {product.manufacturer}"},
        "instance": [
            {
                "identifier": {"system": local_system("lot"), "value": batch.lot_number},
                "expiry": _expiry(batch.expiry_date),
            }
        ],
    }
    return {**substance, "identifier": identifiers} if identifiers else substance


def lot_resources(session: TreatmentSession) -> dict:
    """Each lot the session used, once, by its id, in the order they were recorded."""
    lots = {}
    for line in session.products_used.all():
        lots.setdefault(line.batch_id, product_resource(line.batch))
    return lots


def procedure_reads(path: str = "") -> list:
    """What a session's Procedure and lots read, as prefetches from `path`: the way from the rows
    queried to their session ("" for sessions themselves)."""
    return [
        f"{path}areas",
        f"{path}zones",
        Prefetch(
            f"{path}products_used", queryset=SessionProduct.objects.select_related("batch__product").order_by("pk")
        ),
    ]


def procedure_resource(
    session: TreatmentSession, *, patient: dict, products: list[dict], addressing: Addressing = IN_BUNDLE
) -> dict:
    """The session: its technique, when, each area treated and each zone charted on the face chart,
    and the lots used."""
    zone = session.clinic.zone
    areas = [
        concept(local_system("area"), area.area, area.get_area_display(), str(area)) for area in session.areas.all()
    ]
    charted = [concept(local_system("zone"), row.zone, str(ZONES[row.zone].label)) for row in session.zones.all()]
    return {
        "resourceType": "Procedure",
        "id": str(session.pk),
        "status": "completed",
        "code": {"text": _("Injection, %(technique)s") % {"technique": session.technique_label}},
        "subject": addressing.reference(patient),
        "performedDateTime": instant(session.performed_at, zone),
        "bodySite": [*areas, *charted],
        "usedReference": [addressing.reference(product) for product in products],
    }


def _severity(value: int) -> dict:
    return {"system": local_system("reaction-severity"), "code": str(value), "display": str(Severity(value).label)}


def _reaction_item(reaction) -> dict:
    answer = {"valueCoding": _severity(reaction.severity)}
    if reaction.pain_score is not None:
        answer["item"] = [
            {
                "linkId": f"reaction.{reaction.reaction_type.code}.pain",
                "text": _("Pain (0–10)"),
                "answer": [{"valueInteger": reaction.pain_score}],
            }
        ]
    return {
        "linkId": f"reaction.{reaction.reaction_type.code}",
        "text": str(reaction.reaction_type),
        "answer": [answer],
    }


def questionnaire_response(report: ReactionReport, *, patient: dict, zone, addressing: Addressing = IN_BUNDLE) -> dict:
    """A check-in as the patient answered it: each reaction with its severity (and pain), each
    red-flag question with yes or no, and whether they asked to be called. Their free note is left
    out: it is the one answer that may carry a name."""
    items = []
    reactions = [_reaction_item(reaction) for reaction in report.reactions.all()]
    if reactions:
        items.append({"linkId": "reactions", "text": _("Reactions"), "item": reactions})
    flags = [
        {
            "linkId": f"red-flag.{answer.question.code}",
            "text": answer.question.staff_text,
            "answer": [{"valueBoolean": answer.present}],
        }
        for answer in report.red_flag_answers.all()
    ]
    if flags:
        items.append({"linkId": "red-flags", "text": _("Warning signs"), "item": flags})
    items.append(
        {"linkId": "wants-call", "text": _("Asked to be called"), "answer": [{"valueBoolean": report.wants_call}]}
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(report.pk),
        "status": "completed",
        "subject": addressing.reference(patient),
        "authored": instant(report.reported_at, zone),
        "source": addressing.reference(patient),
        "item": items,
    }
