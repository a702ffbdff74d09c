"""The past sessions of a dry run: a session's lines grouped by its number, checked against the
patients, practitioners, products and lots the clinic holds or the same import brings.

The session form's limit on back-dating does not apply: these sessions are history. A future time is
refused (before this module, with the line). A batch used after its expiry is history too: the session
is imported, its product marked, counted and shown to the manager, never dropped.
"""

from decimal import Decimal

from treatments.models import TreatmentSession

from . import messages
from .catalogue_checks import Catalogue, product_named
from .dry_run import DryRun, Line, same
from .plan import Action
from .selectors import practitioner_ids_by_email, stored_ids

SESSION_COLUMNS = (
    "external_id",
    "patient_external_id",
    "performed_at",
    "practitioner_email",
    "technique",
    "technique_other",
    "areas",
    "notes",
)
PRODUCT_COLUMNS = ("product_gtin", "product_name", "product_manufacturer", "lot_number", "volume_ml")
COMPARED = ("performed_at", "technique", "technique_other", "notes")
VOLUME_MAX = Decimal("9999.99")
Sessions = dict[str, dict]


def _groups(lines: list[Line]) -> dict[str, list[Line]]:
    groups: dict[str, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.values.get("external_id") or f"#{line.number}", []).append(line)
    return groups


def _agree(run: DryRun, group: list[Line]) -> None:
    first = group[0]
    for line in group[1:]:
        for name in SESSION_COLUMNS:
            if line.values.get(name) != first.values.get(name):
                run.refuse(
                    "sessions",
                    line,
                    name,
                    messages.SESSION_LINES_DISAGREE,
                    value=first.values.get("external_id"),
                    column_name=name,
                    first_line=first.number,
                )
                break


def _product_used(run: DryRun, line: Line, catalogue: Catalogue) -> dict | None:
    """The product line of a session, with its batch's expiry against the session's day."""
    values = line.values
    if not any(values.get(name) for name in PRODUCT_COLUMNS):
        return None
    known = product_named(run, "sessions", line, catalogue)
    lot, volume = values.get("lot_number") or "", values.get("volume_ml")
    if not lot or volume is None:
        run.refuse("sessions", line, "lot_number" if not lot else "volume_ml", messages.VOLUME_WITHOUT_LOT)
        return None
    if not Decimal(0) < volume <= VOLUME_MAX or volume.as_tuple().exponent < -2:
        run.refuse("sessions", line, "volume_ml", messages.VOLUME_OUT_OF_RANGE)
    if known is None:
        return None
    if lot.lower() not in known.lots:
        run.refuse("sessions", line, "lot_number", messages.UNKNOWN_LOT, lot=lot, product=known.label)
        return None
    expiry, _batch_id = known.lots[lot.lower()]
    performed_at = values.get("performed_at")
    expired = bool(performed_at and expiry and expiry < performed_at.astimezone(run.clinic.zone).date())
    if expired and not line.refused:
        run.warn(
            "sessions", line, "lot_number", messages.EXPIRED_AT_USE, lot=lot, product=known.label, expiry=str(expiry)
        )
    return {
        "product_gtin": values.get("product_gtin") or "",
        "product_name": values.get("product_name") or "",
        "product_manufacturer": values.get("product_manufacturer") or "",
        "lot_number": lot,
        "volume_ml": str(volume),
        "expired_at_use": expired,
    }


def sessions_checked(run: DryRun, lines: list[Line], catalogue: Catalogue, patients_in_file: set[str]) -> Sessions:
    """Each session of the file by its number: its performed_at and whether it is written."""
    groups = _groups(lines)
    practitioners = practitioner_ids_by_email(clinic=run.clinic)
    named_patients = {line.values.get("patient_external_id") for line in lines} - patients_in_file - {None}
    stored_patients = stored_ids(clinic=run.clinic, kind="patients", external_ids=named_patients)
    stored_sessions = stored_ids(clinic=run.clinic, kind="sessions", external_ids=groups.keys())
    stored = {
        str(session["pk"]): session
        for session in TreatmentSession.objects.filter(pk__in=stored_sessions.values()).values("pk", *COMPARED)
    }
    sessions: Sessions = {}
    for external_id, group in groups.items():
        first = group[0]
        _agree(run, group)
        email = (first.values.get("practitioner_email") or "").lower()
        if email and email not in practitioners:
            run.refuse("sessions", first, "practitioner_email", messages.UNKNOWN_PRACTITIONER, value=email)
        patient = first.values.get("patient_external_id")
        if patient and patient not in patients_in_file and patient not in stored_patients:
            run.refuse("sessions", first, "patient_external_id", messages.UNKNOWN_PATIENT, value=patient)
        if first.values.get("technique") == "other" and not first.values.get("technique_other"):
            run.refuse("sessions", first, "technique_other", messages.OTHER_TECHNIQUE_UNDESCRIBED)
        products = [_product_used(run, line, catalogue) for line in group]
        sessions[external_id] = {"performed_at": first.values.get("performed_at"), "written": False}
        if any(line.refused for line in group):
            continue
        existing_id = stored_sessions.get(external_id)
        action = Action.CREATE
        if existing_id:
            unchanged = all(same(stored[existing_id][name], first.values.get(name)) for name in COMPARED)
            action = Action.SKIP if unchanged else Action.UPDATE
        sessions[external_id]["written"] = action != Action.SKIP
        run.row(
            "sessions",
            Line(first.number, {name: first.values.get(name) for name in SESSION_COLUMNS}),
            action,
            existing_id,
            lines=[line.number for line in group],
            products=[product for product in products if product],
            practitioner_id=practitioners.get(email),
            patient_id=stored_patients.get(patient),
        )
    return sessions
