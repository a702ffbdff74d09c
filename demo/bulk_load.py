"""How the generated clinic group reaches the database: fast, and checked as it goes.

The rows wait in `Tables`, one list per table, and `tables_write` streams each list with
`copy_rows`: COPY on PostgreSQL, batched INSERTs elsewhere, never one ORM save at a time.
While a clinic group is loaded, `secondary_indexes_set_aside` keeps the tables' indexes
out of the way and builds each once at the end.
"""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, models

from patients.models import Patient
from recovery.models import (
    CheckIn,
    Complication,
    FollowUp,
    ReactionReport,
    Recovery,
    RedFlagAnswer,
    ReportedReaction,
)
from treatments.models import SessionArea, SessionProduct, TreatmentSession


def _writable_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]


def _copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Stream rows into the model's table: COPY on PostgreSQL, batched INSERTs elsewhere.

    Columns the rows do not give take the field's default, as the ORM would.
    """
    fields = _writable_fields(model)
    given = {name: index for index, name in enumerate(columns)}
    # For each column: where its value comes from in a row (or its default), and whether it is JSON.
    plan = [
        (given.get(f.attname), f.get_default() if f.attname not in given else None, isinstance(f, models.JSONField), f)
        for f in fields
    ]
    on_postgresql = connection.vendor == "postgresql"

    def values(row: tuple) -> Iterator:
        for index, default, is_json, _field in plan:
            value = row[index] if index is not None else default
            # COPY takes JSON as text; elsewhere the field's own preparation encodes it.
            yield json.dumps(value) if is_json and on_postgresql else value

    table, names = model._meta.db_table, ", ".join(f.column for f in fields)
    count = 0
    with connection.cursor() as cursor:
        if on_postgresql:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                lines = []
                for row in rows:
                    lines.append("\t".join(_copy_text(v) for v in values(row)))
                    count += 1
                    if len(lines) == 5000:
                        copy.write("\n".join(lines) + "\n")
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        for row in rows:
            batch.append(
                [
                    value if value is None else plan[i][3].get_db_prep_value(value, connection)
                    for i, value in enumerate(values(row))
                ]
            )
            count += 1
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return count


@dataclass
class Tables:
    """Rows waiting to be written, one list per table."""

    patients: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    products: list = field(default_factory=list)
    recoveries: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    reactions: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    check_ins: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)
    complications: list = field(default_factory=list)


PATIENT_COLUMNS = [
    "id",
    "clinic_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "sensitivities",
    "consents_to_check_ins",
    "created_at",
    "updated_at",
]
SESSION_COLUMNS = [
    "id",
    "clinic_id",
    "patient_id",
    "practitioner_id",
    "performed_at",
    "technique",
    "technique_other",
    "aftercare",
    "notes",
    "recorded_by_id",
    "created_at",
    "series_number",
]
RECOVERY_COLUMNS = [
    "session_id",
    "clinic_id",
    "practitioner_id",
    "performed_at",
    "performed_on",
    "attention_at",
    "unacknowledged_at",
    "overdue_at",
    "patient_reported",
    "clinician_confirmed",
    "notified_attention_at",
    "notified_overdue_at",
    "settled",
    "findings",
    "acknowledged_at",
    "closed_at",
    "closed_by_id",
    "closing_outcome",
    "closing_note",
]
REPORT_COLUMNS = ["id", "session_id", "reported_at", "source", "recorded_by_id", "wants_call", "note", "created_at"]
CHECK_IN_COLUMNS = [
    "id",
    "session_id",
    "due_at",
    "status",
    "claimed_until",
    "send_attempts",
    "emailed_at",
    "texted_at",
    "sent_at",
    "answered_at",
    "report_id",
    "code",
]


def tables_write(tables: Tables) -> None:
    """Write each table's rows, parents before their children."""
    copy_rows(Patient, PATIENT_COLUMNS, tables.patients)
    copy_rows(TreatmentSession, SESSION_COLUMNS, tables.sessions)
    copy_rows(SessionArea, ["session_id", "area", "description"], tables.areas)
    copy_rows(SessionProduct, ["session_id", "batch_id", "volume_ml"], tables.products)
    copy_rows(Recovery, RECOVERY_COLUMNS, tables.recoveries)
    copy_rows(ReactionReport, REPORT_COLUMNS, tables.reports)
    copy_rows(ReportedReaction, ["report_id", "reaction_type_id", "severity"], tables.reactions)
    copy_rows(RedFlagAnswer, ["report_id", "question_id", "present"], tables.flags)
    copy_rows(CheckIn, CHECK_IN_COLUMNS, tables.check_ins)
    copy_rows(FollowUp, ["recovery_id", "action", "note", "recorded_by_id", "recorded_at"], tables.follow_ups)
    copy_rows(
        Complication,
        ["recovery_id", "complication_type", "onset_at", "recorded_by_id", "recorded_at"],
        tables.complications,
    )


# The tables `tables_write` fills.
LOADED_MODELS = [
    Patient,
    TreatmentSession,
    SessionArea,
    SessionProduct,
    Recovery,
    ReactionReport,
    ReportedReaction,
    RedFlagAnswer,
    CheckIn,
    FollowUp,
    Complication,
]


@contextmanager
def secondary_indexes_set_aside(models_loaded: list) -> Iterator[None]:
    """Drop the loaded tables' indexes that back no constraint, and build them again once loaded.

    Keeping a dozen indexes in step row by row is most of the cost of a large load; building
    each once, from sorted data, is a fraction of it. Primary keys and unique constraints stay,
    so the load is checked as it goes. PostgreSQL only: SQLite loads are test-sized.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models_loaded]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Inside a caller's transaction, foreign keys checked at commit must be checked first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")
