"""Writes for the treatment record.

The rules that decide whether a session may be recorded live here, as module
constants for their messages, so that forms show them next to the field and any
other caller (a task, the admin, a test) is held to the same rules.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic, Membership
from events import services as events
from patients.models import Patient

from . import wedge
from .chart import DIAGRAMS, ZONES
from .models import (
    Aftercare,
    Area,
    Batch,
    InjectionPoint,
    Product,
    SessionArea,
    SessionProduct,
    SessionZone,
    Technique,
    TreatmentSession,
    lot_number_validator,
)

SESSION_IN_FUTURE = _("A session cannot be recorded in the future.")
SESSION_BEFORE_BIRTH = _("The session cannot be before the patient's date of birth (%(born)s).")
SESSION_TOO_OLD = _("A session can be recorded up to %(days)s days back; check the date.")
PRACTITIONER_NOT_IN_CLINIC = _("This practitioner does not work at the patient's clinic.")
BATCH_OF_ANOTHER_CLINIC = _("This batch belongs to another clinic's stock, not the patient's clinic.")
BATCH_EXPIRED = _("Lot %(lot)s expired on %(expiry)s, before the session date.")
BATCH_QUARANTINED = _("Lot %(lot)s is quarantined and cannot be used: %(reason)s")
QUARANTINE_NEEDS_REASON = _("Say why the batch is quarantined.")
ALREADY_QUARANTINED = _("This batch is already quarantined.")
VOLUME_NOT_POSITIVE = _("Enter a volume of more than 0 mL.")
NO_AREA = _("Choose at least one treated area.")
OTHER_AREA_UNDESCRIBED = _("Describe the other area treated.")
NO_PRODUCT = _("Add at least one product used, with its batch and volume.")
TOO_MANY_PRODUCTS = _("A session records at most 10 products.")
OTHER_TECHNIQUE_UNDESCRIBED = _("Describe the technique used.")
RECORDER_NOT_IN_CLINIC = _("Only staff of the patient's clinic can record its sessions.")
UNKNOWN_AFTERCARE = _("Choose aftercare advice from the list.")
UNKNOWN_ZONE = _("Choose the treated zones from the chart.")
ZONE_OUTSIDE_AREAS = _("%(zone)s is not within the treated areas chosen: choose its area too, or leave the zone out.")
POINT_NOT_ON_DIAGRAM = _("A point is placed on a zone that is not on its diagram: place it again.")
POINT_OUTSIDE_ZONES = _("A point on %(zone)s is outside the charted zones: chart the zone, or remove the point.")
POINT_OFF_THE_DIAGRAM = _("A point is placed off the diagram: place it again.")
POINT_VOLUME = _("A point's volume must be more than 0 mL and less than 10000 mL, to 0.01 mL.")
POINT_WITHOUT_PRODUCT = _("A point names a product row that is not in the session: choose its product again.")
TOO_MANY_POINTS = _("A session charts at most %(count)s injection points.")
POINTS_DIFFER = _(
    "%(product)s: the points add up to %(points)s mL but the product row says %(row)s mL. "
    "Correct a volume, or remove the points."
)
# More than any session places; a bound, so no request stores thousands of rows.
MAX_POINTS_PER_SESSION = 200
POINT_VOLUME_LIMIT = Decimal("10000")
# A ten-thousandth of the diagram: finer than any tap.
COORDINATE = Decimal("0.0001")


@dataclass(frozen=True)
class AreaTreated:
    area: str
    description: str = ""


@dataclass(frozen=True)
class ProductUse:
    batch: Batch
    volume_ml: Decimal


@dataclass(frozen=True)
class PointPlaced:
    """An injection point: where on which diagram (0 to 1 across and down), and how much of the
    session's `product`-th product (its place in `products`) went there."""

    diagram: str
    zone: str
    x: Decimal
    y: Decimal
    product: int | None
    volume_ml: Decimal


def session_time_problem(performed_at: datetime, *, patient: Patient, now: datetime | None = None) -> str | None:
    """A session in the future, before the patient was born, or from years back is a typing slip:
    kept, it would renumber the patient's whole series and shift the audit."""
    now = now or timezone.now()
    if performed_at > now:
        return str(SESSION_IN_FUTURE)
    if timezone.localtime(performed_at, patient.clinic.zone).date() < patient.date_of_birth:
        return str(SESSION_BEFORE_BIRTH % {"born": date_format(patient.date_of_birth, "SHORT_DATE_FORMAT")})
    if performed_at < now - timedelta(days=settings.SESSION_BACKDATE_DAYS):
        return str(SESSION_TOO_OLD % {"days": settings.SESSION_BACKDATE_DAYS})
    return None


def batch_problem(batch: Batch, *, clinic: Clinic, performed_at: datetime) -> str | None:
    """Why this batch cannot be used on this clinic's patient at this time, if it cannot."""
    if batch.product.clinic_id != clinic.pk:
        return str(BATCH_OF_ANOTHER_CLINIC)
    # A session done before the quarantine is still recorded: its patient must be traceable.
    if batch.is_quarantined and performed_at >= batch.quarantined_at:
        return BATCH_QUARANTINED % {"lot": batch.lot_number, "reason": batch.quarantine_reason}
    session_day = timezone.localtime(performed_at, clinic.zone).date()
    if batch.is_expired_on(session_day):
        return BATCH_EXPIRED % {"lot": batch.lot_number, "expiry": date_format(batch.expiry_date, "j N Y")}
    return None


def volume_problem(volume_ml: Decimal) -> str | None:
    if volume_ml is None or volume_ml <= 0:
        return str(VOLUME_NOT_POSITIVE)
    return None


def practitioner_problem(practitioner, *, clinic: Clinic) -> str | None:
    if not Membership.objects.filter(user=practitioner, clinic=clinic).exists():
        return str(PRACTITIONER_NOT_IN_CLINIC)
    return None


def _session_errors(
    *,
    patient: Patient,
    practitioner,
    performed_at: datetime,
    areas: list[AreaTreated],
    products: list[ProductUse],
    technique: str,
    technique_other: str,
    aftercare: list[str],
    recorded_by,
    zones: list[str],
    points: list[PointPlaced],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    clinic = patient.clinic
    add("performed_at", session_time_problem(performed_at, patient=patient))
    add("practitioner", practitioner_problem(practitioner, clinic=clinic))
    if practitioner_problem(recorded_by, clinic=clinic):
        add("recorded_by", str(RECORDER_NOT_IN_CLINIC))
    if not set(aftercare) <= set(Aftercare.values):
        add("aftercare", str(UNKNOWN_AFTERCARE))
    if not areas:
        add("areas", str(NO_AREA))
    if any(a.area == Area.OTHER and not a.description.strip() for a in areas):
        add("area_other", str(OTHER_AREA_UNDESCRIBED))
    if technique == Technique.OTHER and not technique_other.strip():
        add("technique_other", str(OTHER_TECHNIQUE_UNDESCRIBED))
    if not products:
        add("products", str(NO_PRODUCT))
    for use in products:
        add("products", batch_problem(use.batch, clinic=clinic, performed_at=performed_at))
        add("products", volume_problem(use.volume_ml))
    for field, message in chart_problems(areas=areas, products=products, zones=zones, points=points):
        add(field, message)
    return errors


def _point_volume_problem(volume_ml: Decimal) -> str | None:
    if not volume_ml.is_finite() or not 0 < volume_ml < POINT_VOLUME_LIMIT or volume_ml.as_tuple().exponent < -2:
        return str(POINT_VOLUME)
    return None


def chart_problems(
    *, areas: list[AreaTreated], products: list[ProductUse], zones: list[str], points: list[PointPlaced]
) -> list[tuple[str, str]]:
    """Why the chart cannot be saved with these areas and products: a zone within the areas, a point
    on a charted zone of its diagram and on a product row, and each product's points adding up to
    its row's volume (a product without points is not charted point by point, and is fine)."""
    problems = []
    chosen_areas = {a.area for a in areas}
    for code in dict.fromkeys(zones):
        if code not in ZONES:
            problems.append(("zones", str(UNKNOWN_ZONE)))
        elif ZONES[code].area not in chosen_areas:
            problems.append(("zones", str(ZONE_OUTSIDE_AREAS % {"zone": ZONES[code].label})))
    if len(points) > MAX_POINTS_PER_SESSION:
        return [*problems, ("points", str(TOO_MANY_POINTS % {"count": MAX_POINTS_PER_SESSION}))]
    for point in points:
        if point.diagram not in DIAGRAMS or point.zone not in ZONES or point.diagram not in ZONES[point.zone].diagrams:
            problems.append(("points", str(POINT_NOT_ON_DIAGRAM)))
        elif point.zone not in zones:
            problems.append(("points", str(POINT_OUTSIDE_ZONES % {"zone": ZONES[point.zone].label})))
        if not all(c.is_finite() and 0 <= c <= 1 for c in (point.x, point.y)):
            problems.append(("points", str(POINT_OFF_THE_DIAGRAM)))
        if point.product is None or not 0 <= point.product < len(products):
            problems.append(("points", str(POINT_WITHOUT_PRODUCT)))
        if problem := _point_volume_problem(point.volume_ml):
            problems.append(("points", problem))
    if problems:
        return list(dict.fromkeys(problems))
    for index, use in enumerate(products):
        charted = [point.volume_ml for point in points if point.product == index]
        if charted and sum(charted) != use.volume_ml:
            label = f"{use.batch.product.name} ({use.batch.lot_number})"
            volumes = {
                "points": number_format(sum(charted).normalize()),
                "row": number_format(use.volume_ml.normalize()),
            }
            problems.append(("points", str(POINTS_DIFFER % {"product": label, **volumes})))
    return problems


@transaction.atomic
def session_create(
    *,
    patient: Patient,
    practitioner,
    performed_at: datetime,
    areas: list[AreaTreated],
    products: list[ProductUse],
    technique: str,
    technique_other: str = "",
    aftercare: list[str],
    notes: str = "",
    recorded_by,
    zones: list[str] = (),
    points: list[PointPlaced] = (),
) -> TreatmentSession:
    """Record a session with its areas, products and chart: all of it, or nothing."""
    errors = _session_errors(
        patient=patient,
        practitioner=practitioner,
        performed_at=performed_at,
        areas=areas,
        products=products,
        technique=technique,
        technique_other=technique_other,
        aftercare=aftercare,
        recorded_by=recorded_by,
        zones=list(zones),
        points=list(points),
    )
    if errors:
        raise ValidationError(errors)
    # Locked, so two sessions of one patient logged at once are numbered one after the other.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    session = TreatmentSession.objects.create(
        clinic=patient.clinic,
        patient=patient,
        practitioner=practitioner,
        performed_at=performed_at,
        technique=technique,
        technique_other=technique_other.strip() if technique == Technique.OTHER else "",
        aftercare=list(aftercare),
        notes=notes,
        recorded_by=recorded_by,
    )
    SessionArea.objects.bulk_create(
        SessionArea(session=session, area=a.area, description=a.description.strip() if a.area == Area.OTHER else "")
        for a in areas
    )
    uses = SessionProduct.objects.bulk_create(
        [
            SessionProduct(
                session=session, batch=use.batch, volume_ml=use.volume_ml, performed_at=performed_at, patient=patient
            )
            for use in products
        ]
    )
    SessionZone.objects.bulk_create(SessionZone(session=session, zone=code) for code in dict.fromkeys(zones))
    InjectionPoint.objects.bulk_create(
        InjectionPoint(
            session=session,
            product_use=uses[point.product],
            diagram=point.diagram,
            zone=point.zone,
            x=point.x.quantize(COORDINATE),
            y=point.y.quantize(COORDINATE),
            volume_ml=point.volume_ml,
        )
        for point in points
    )
    series_place(session=session)
    return session


def series_place(*, session: TreatmentSession) -> None:
    """Give a new session its number in the patient's series, and move the later ones up one.

    A session logged late, dated before others, takes its place among them.
    """
    others = TreatmentSession.objects.filter(patient_id=session.patient_id).exclude(pk=session.pk)
    before = Q(performed_at__lt=session.performed_at) | Q(
        performed_at=session.performed_at, created_at__lte=session.created_at
    )
    session.series_number = others.filter(before).count() + 1
    TreatmentSession.objects.filter(pk=session.pk).update(series_number=session.series_number)
    others.exclude(before).update(series_number=F("series_number") + 1)


@transaction.atomic
def batch_quarantine(*, batch: Batch, reason: str, by) -> Batch:
    """Stop a batch from being used for new sessions; its patients are listed for contact, and the
    systems the clinic connected are told."""
    batch = Batch.objects.select_for_update(of=("self",)).select_related("product").get(pk=batch.pk)
    if batch.is_quarantined:
        raise ValidationError(str(ALREADY_QUARANTINED))
    if not reason.strip():
        raise ValidationError({"reason": [str(QUARANTINE_NEEDS_REASON)]})
    batch.quarantined_at = timezone.now()
    batch.quarantined_by = by
    batch.quarantine_reason = reason.strip()
    batch._history_user = by
    batch.save(update_fields=["quarantined_at", "quarantined_by", "quarantine_reason"])
    events.events_record(
        [
            events.batch_quarantined(
                clinic_id=batch.product.clinic_id,
                batch_id=batch.pk,
                product_id=batch.product_id,
                at=batch.quarantined_at,
            )
        ]
    )
    return batch


NO_LOT_IN_CODE = _("This code has no lot number: add the batch on the product's page, from the box.")
NO_EXPIRY_IN_CODE = _("This code has no expiry date: add the batch on the product's page, with the date on the box.")
BOX_EXPIRED = _("This box expired on %(expiry)s: it is not received into stock.")


def new_lot_problem(*, lot: str, expiry, received_on) -> str | None:
    """Why a box's lot, not yet in stock, cannot be taken in, if it cannot."""
    if not lot.strip():
        return str(NO_LOT_IN_CODE)
    if wedge.lot_through_caps_lock(lot):
        return str(wedge.CAPS_LOCK_LOT % {"lot": lot})
    if expiry is None:
        return str(NO_EXPIRY_IN_CODE)
    if expiry < received_on:
        return str(BOX_EXPIRED % {"expiry": date_format(expiry, "j N Y")})
    try:
        lot_number_validator(lot.strip())
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@transaction.atomic
def batch_receive(*, product: Product, lot: str, expiry, received_on, supplier: str = "", by) -> tuple[Batch, bool]:
    """Take a scanned box's lot into stock; the same lot scanned again is the batch already there."""
    lot = lot.strip()
    if not lot:
        raise ValidationError(str(NO_LOT_IN_CODE))
    existing = Batch.objects.filter(product=product, lot_number__iexact=lot).first()
    if existing:
        return existing, False
    if problem := new_lot_problem(lot=lot, expiry=expiry, received_on=received_on):
        raise ValidationError(problem)
    batch = Batch(product=product, lot_number=lot, expiry_date=expiry, received_on=received_on, supplier=supplier)
    batch._history_user = by
    try:
        # In a savepoint: two scans of one box at the same instant make one batch, the second finds it.
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        return Batch.objects.get(product=product, lot_number__iexact=lot), False
    return batch, True
