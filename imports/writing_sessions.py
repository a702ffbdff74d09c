"""Writing an import's past sessions: each batch of sessions with their areas, product lines and
recoveries in a handful of statements, then every series renumbered in one.

A session is history: it is stored with the name of the system it came from, and nothing it
writes plans a check-in, a guide, a notification or an event for other systems.
"""

import uuid
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from clinics.models import Membership
from recovery.models import Recovery
from treatments.models import Area, SessionArea, SessionProduct, Technique, TreatmentSession

from .writing_catalogue import product_of
from .writing_rows import BATCH_SIZE, Tally, in_batches

SESSION_FIELDS = ("performed_at", "practitioner_id", "technique", "technique_other", "notes")


def practitioners_of(clinic) -> dict[str, object]:
    """The clinic's staff by e-mail, as they sign in (case aside): one query."""
    users = (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.filter(clinic=clinic).values("user_id"))
        .values_list("email", "pk")
    )
    return {email.casefold(): pk for email, pk in users if email}


def _session_values(row: dict, *, practitioners: dict) -> dict:
    technique = row["technique"]
    return {
        "performed_at": row["performed_at"],
        "practitioner_id": row.get("practitioner_id") or practitioners[row["practitioner_email"].casefold()],
        "technique": technique,
        "technique_other": (row.get("technique_other") or "").strip() if technique == Technique.OTHER else "",
        "notes": row.get("notes") or "",
    }


def _areas(session_id, row: dict, *, source: str) -> list[SessionArea]:
    # The file has no words for an area marked "other": the system it came from describes it.
    return [
        SessionArea(session_id=session_id, area=area, description=source or "-" if area == Area.OTHER else "")
        for area in dict.fromkeys(row.get("areas") or ())
    ]


def _lines(session: TreatmentSession, row: dict, *, day: date, products: dict, batches: dict) -> list[SessionProduct]:
    lines = []
    for line in row.get("products") or ():
        batch = batches[(product_of(products, line), line["lot_number"].strip().casefold())]
        expired = line.get("expired_at_use")
        if expired is None:
            expired = batch["expiry_date"] < day
        lines.append(
            SessionProduct(
                session_id=session.pk,
                batch_id=batch["pk"],
                volume_ml=line["volume_ml"],
                expired_at_use=expired,
                performed_at=session.performed_at,
                patient_id=session.patient_id,
            )
        )
    return lines


class SessionsWritten:
    """What writing the sessions leaves for the steps after it."""

    def __init__(self, ids: dict[str, object]) -> None:
        # Every session of the file and every one imported before, by external id.
        self.ids = ids
        # The sessions created by this import, by external id, and the clinic days they fall on.
        self.created: dict[str, object] = {}
        self.days: set[date] = set()


def sessions_write(
    *,
    clinic,
    recorded_by,
    rows: list[dict],
    source: str,
    patients: dict,
    products: dict,
    batches: dict,
    tally: Tally,
    progress,
) -> SessionsWritten:
    zone = clinic.zone
    practitioners = practitioners_of(clinic)
    written = SessionsWritten({})
    for batch in in_batches(rows):
        known = _stored(clinic, batch)
        sessions, areas, lines, recoveries = [], [], [], []
        changed, moved = [], []
        for row in batch:
            external_id = row["external_id"]
            if external_id in known:
                written.ids[external_id] = known[external_id][0]
            if row.get("action") == "skip":
                tally.add("sessions", "skipped")
                continue
            values = _session_values(row, practitioners=practitioners)
            day = values["performed_at"].astimezone(zone).date()
            written.days.add(day)
            if external_id in known:
                pk, before = known[external_id]
                if before:
                    written.days.add(before)
                changed.append(TreatmentSession(pk=pk, **values))
                moved.append(
                    Recovery(
                        session_id=pk,
                        practitioner_id=values["practitioner_id"],
                        performed_at=values["performed_at"],
                        performed_on=day,
                    )
                )
                areas += _areas(pk, row, source=source)
                tally.add("sessions", "updated")
                continue
            session = TreatmentSession(
                clinic=clinic,
                patient_id=patients.get(row["patient_external_id"]) or row["patient_id"],
                recorded_by=recorded_by,
                source=source,
                external_id=external_id,
                aftercare=[],
                **values,
            )
            sessions.append(session)
            areas += _areas(session.pk, row, source=source)
            lines += _lines(session, row, day=day, products=products, batches=batches)
            recoveries.append(
                Recovery(
                    session_id=session.pk,
                    clinic=clinic,
                    practitioner_id=values["practitioner_id"],
                    performed_at=values["performed_at"],
                    performed_on=day,
                )
            )
            written.ids[external_id] = written.created[external_id] = session.pk
            tally.add("sessions", "created")
        TreatmentSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
        if changed:
            # A session's product lines stay as they were: complications name them as suspects.
            TreatmentSession.objects.bulk_update(changed, list(SESSION_FIELDS), batch_size=BATCH_SIZE)
            SessionArea.objects.filter(session_id__in=[session.pk for session in changed]).delete()
            # The recovery carries its session's practitioner and time for the dashboard and the audit.
            Recovery.objects.bulk_update(
                moved, ["practitioner_id", "performed_at", "performed_on"], batch_size=BATCH_SIZE
            )
            # And its product lines their session's time, by which a batch lists its uses.
            SessionProduct.objects.filter(session_id__in=[session.pk for session in changed]).update(
                performed_at=Subquery(TreatmentSession.objects.filter(pk=OuterRef("session_id")).values("performed_at"))
            )
        SessionArea.objects.bulk_create(areas, batch_size=BATCH_SIZE)
        SessionProduct.objects.bulk_create(lines, batch_size=BATCH_SIZE)
        Recovery.objects.bulk_create(recoveries, batch_size=BATCH_SIZE)
        progress(len(batch))
    return written


def _stored(clinic, rows: list[dict]) -> dict[str, tuple]:
    """The batch's sessions the clinic holds, by the file's number: (id, clinic day). One query."""
    numbers = {row["external_id"] for row in rows}
    ids = {row["existing_id"] for row in rows if row.get("existing_id")} | _our_ids(numbers)
    stored = TreatmentSession.objects.filter(clinic=clinic).filter(Q(external_id__in=numbers) | Q(pk__in=ids))
    found = {}
    for pk, external_id, day in stored.values_list("pk", "external_id", "recovery__performed_on"):
        # Named by the other system's number it was imported with, or by our own id (the export's).
        found[external_id if external_id in numbers else str(pk)] = (pk, day)
    return found


def _our_ids(numbers: set[str]) -> set[uuid.UUID]:
    ours = set()
    for number in numbers:
        try:
            ours.add(uuid.UUID(number))
        except ValueError:
            continue
    return ours


def sessions_named(clinic, numbers: set[str], *, known: dict) -> dict:
    """`known` with the sessions the clinic holds that reactions or complications name and the
    sessions file does not bring, by their number or our id. A query per batch of them."""
    missing = sorted(numbers - known.keys())
    named = dict(known)
    for batch in in_batches(missing):
        stored = _stored(clinic, [{"external_id": number} for number in batch])
        named.update({number: pk for number, (pk, _day) in stored.items()})
    return named


def series_renumber(*, clinic) -> set[date]:
    """Number every session of the clinic's patients in time order, in one statement, as
    `treatments.services.series_place` numbers one (ties in time by when they were recorded).

    Returns the clinic days whose sessions changed place: the audit counts by place in the series.
    Only the sessions whose number moves are written.
    """
    table = connection.ops.quote_name(TreatmentSession._meta.db_table)
    sql = f"""
        UPDATE {table} SET series_number = numbered.place
        FROM (
            SELECT id, ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY performed_at, created_at, id) AS place
            FROM {table} WHERE clinic_id = %s
        ) AS numbered
        WHERE {table}.id = numbered.id AND {table}.series_number <> numbered.place
        RETURNING {table}.performed_at
    """
    clinic_id = TreatmentSession._meta.get_field("clinic").get_db_prep_value(clinic.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [clinic_id])
        moments = [_aware(value) for (value,) in cursor]
    return {moment.astimezone(clinic.zone).date() for moment in moments}


def _aware(value) -> datetime:
    # SQLite hands a RETURNING column back as the text it stores, in UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
