"""The report pack of a confirmed complication: the record read once, as every form asks it, and the
forms' shared shape (sections of numbered items, ticks printed as ☒ and ☐). The forms themselves are
written in `forms_uk`, `forms_us` and `forms_fr`; nothing here names the patient."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from clinics.scoping import is_manager, managed_clinic_ids_of
from recovery.models import Complication, SuspectProduct
from recovery.selectors import follow_ups_of, session_reports
from treatments.models import SessionProduct

from .models import EventDetails, Submission

TICKED, UNTICKED = "☒", "☐"


def complication_for_pack(*, user, complication_id) -> Complication:
    """A complication of a clinic the user manages, with all the pack reads: a practitioner is
    refused (403), another clinic's event is not found (404)."""
    if not is_manager(user):
        raise PermissionDenied
    queryset = Complication.objects.filter(recovery__clinic_id__in=managed_clinic_ids_of(user)).select_related(
        "recorded_by",
        "recovery__session__clinic",
        "recovery__session__patient",
        "recovery__session__practitioner",
    )
    complication = get_object_or_404(queryset, pk=complication_id)
    complication.details = EventDetails.objects.filter(complication=complication).first()
    return complication


@dataclass(frozen=True)
class Line:
    """A product of the session as the forms describe it."""

    batch_id: object
    brand: str
    manufacturer: str
    manufacturer_address: str
    common_name: str
    regulatory_status: str
    route: str
    route_label: str
    catalogue_reference: str
    gtin: str
    lot: str
    expiry: date
    supplier: str
    volume_ml: str
    causality: str
    causality_label: str

    @property
    def suspect(self) -> bool:
        return bool(self.causality)


@dataclass(frozen=True)
class Facts:
    """What every form is filled from, read once."""

    complication: Complication
    initials: str
    local_id: str
    sex: str
    date_of_birth: date
    age_at_reaction: int
    allergies: str
    details: EventDetails | None
    session_on: date
    onset_on: date
    today: date
    areas: list[str]
    lines: list[Line]
    reports: list
    follow_ups: list
    clinic: object
    reporter: object
    reported_to: frozenset[str]
    patient_names: tuple[str, ...] = field(repr=False, default=())

    @property
    def session(self):
        return self.complication.recovery.session

    @property
    def suspects(self) -> list[Line]:
        return [line for line in self.lines if line.suspect]

    @property
    def others(self) -> list[Line]:
        return [line for line in self.lines if not line.suspect]

    def indication(self) -> str:
        """Why the product was used, as the forms' "prescribed for" asks, in the active language."""
        return _("aesthetic skin treatment (%(technique)s) of the %(areas)s") % {
            "technique": self.session.technique_label.lower(),
            "areas": ", ".join(area.lower() for area in self.areas),
        }

    def without_names(self, text: str) -> str:
        """Free text written by staff, with the patient's names put as their initials."""
        for name in self.patient_names:
            text = re.sub(rf"\b{re.escape(name)}\b", self.initials, text, flags=re.IGNORECASE)
        return text


def initials_of(first_name: str, last_name: str) -> str:
    return "".join(name.strip()[:1].upper() for name in (first_name, last_name) if name.strip())


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _lines(complication: Complication) -> list[Line]:
    causality = {
        suspect.session_product_id: suspect
        for suspect in SuspectProduct.objects.filter(complication=complication).order_by("pk")
    }
    uses = SessionProduct.objects.filter(session_id=complication.recovery.session_id).select_related("batch__product")
    lines = []
    for use in uses:
        product, batch, suspect = use.batch.product, use.batch, causality.get(use.pk)
        lines.append(
            Line(
                batch_id=batch.pk,
                brand=product.name,
                manufacturer=product.manufacturer,
                manufacturer_address=product.manufacturer_address,
                common_name=product.common_name,
                regulatory_status=product.regulatory_status,
                route=product.route,
                route_label=str(product.get_route_display()),
                catalogue_reference=product.catalogue_reference,
                gtin=product.gtin,
                lot=batch.lot_number,
                expiry=batch.expiry_date,
                supplier=batch.supplier,
                volume_ml=f"{use.volume_ml.normalize():f}",
                causality=suspect.causality if suspect else "",
                causality_label=str(suspect.get_causality_display()) if suspect else "",
            )
        )
    # The suspects first, as the forms list them.
    return sorted(lines, key=lambda line: not line.suspect)


def facts_of(complication: Complication, *, reporter) -> Facts:
    session = complication.recovery.session
    patient, clinic = session.patient, session.clinic
    zone = clinic.zone
    onset_on = timezone.localtime(complication.onset_at, zone).date()
    return Facts(
        complication=complication,
        initials=initials_of(patient.first_name, patient.last_name),
        local_id=f"RD-{patient.pk.hex[:8].upper()}",
        sex=patient.sex,
        date_of_birth=patient.date_of_birth,
        age_at_reaction=age_on(patient.date_of_birth, onset_on),
        allergies=patient.sensitivities.strip(),
        details=getattr(complication, "details", None),
        session_on=timezone.localtime(session.performed_at, zone).date(),
        onset_on=onset_on,
        today=timezone.localdate(timezone=zone),
        areas=[str(area) for area in session.areas.all()],
        lines=_lines(complication),
        reports=list(session_reports(session=session)),
        follow_ups=list(follow_ups_of(recovery=complication.recovery)),
        clinic=clinic,
        reporter=reporter,
        reported_to=frozenset(Submission.objects.filter(complication=complication).values_list("recipient", flat=True)),
        patient_names=tuple(name for name in (patient.first_name, patient.last_name) if len(name.strip()) > 1),
    )


@dataclass(frozen=True)
class Tick:
    label: str
    ticked: bool

    def __str__(self) -> str:
        return f"{TICKED if self.ticked else UNTICKED} {self.label}"


@dataclass(frozen=True)
class Item:
    """One box of a form: its number on the form (blank where the form numbers none), its label, and
    what goes in it; `missing` when the record does not know it, so the value says so."""

    number: str
    label: str
    value: str
    missing: bool = False
    ticks: tuple[Tick, ...] = ()
    long: bool = False


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ReportForm:
    code: str
    title: str
    version: str
    language: str
    date_format: str
    date_format_label: str
    sections: tuple[Section, ...]

    @property
    def numbered(self) -> bool:
        """Whether the form numbers its items: the MedWatch 3500 does, the others do not."""
        return any(item.number for section in self.sections for item in section.items)


class Writer:
    """Items in one form's words: its missing value and its date format."""

    def __init__(self, *, missing: str, date_format: str):
        self.missing_text = missing
        self.date_format = date_format

    def date(self, day: date | None) -> str:
        return day.strftime(self.date_format) if day else ""

    def item(self, number: str, label: str, value="", *, ticks=(), long=False) -> Item:
        text = str(value).strip() if value is not None else ""
        if ticks:
            return Item(number, label, text, missing=False, ticks=tuple(ticks), long=long)
        return Item(number, label, text or self.missing_text, missing=not text, long=long)

    def ticks(self, choices) -> list[Tick]:
        return [Tick(label, bool(ticked)) for label, ticked in choices]
