"""How the generated clinic group reaches the database: fast, and checked as it goes.

The rows wait in `Tables`, one list per table, and `tables_write` streams each list with
`copy_rows`: COPY on PostgreSQL, batched INSERTs elsewhere, never one ORM save at a time.
While a clinic group is loaded, `indexes_and_keys_set_aside` keeps the tables' indexes and
keys out of the way, builds each index once at the end and checks each key once.
"""

import json
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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


def copy_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Stream rows into the model's table: COPY on PostgreSQL, batched INSERTs elsewhere.

    Columns the rows do not give take the field's default, as the ORM would.
    """
    fields = _writable_fields(model)
    given = {name: index for index, name in enumerate(columns)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _copy(cursor.cursor, model._meta.db_table, fields, given, rows)
        return _insert(cursor, model._meta.db_table, fields, given, rows)


def _insert(cursor, table: str, fields: list, given: dict, rows: Iterable[tuple]) -> int:
    """Batched INSERTs, each value prepared by its field as the ORM would (JSON encoded, and so on)."""
    plan = [(given.get(f.attname), f.get_default() if f.attname not in given else None, f) for f in fields]
    names = ", ".join(f.column for f in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    count, batch = 0, []
    for row in rows:
        batch.append(
            [
                None if value is None else field.get_db_prep_value(value, connection)
                for index, default, field in plan
                for value in [row[index] if index is not None else default]
            ]
        )
        count += 1
        if len(batch) == 5000:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
    return count


def _copy(cursor, table: str, fields: list, given: dict, rows: Iterable[tuple]) -> int:
    """COPY the rows as given, each followed by the defaults of the columns it leaves out.

    psycopg formats each row in C, several times faster than building COPY's text in Python;
    only the JSON columns are encoded here, since COPY takes them as text.
    """
    by_attname = {f.attname: f for f in fields}
    left_out = [f for f in fields if f.attname not in given]
    defaults = tuple(
        json.dumps(d) if isinstance(f, models.JSONField) else d for f in left_out for d in [f.get_default()]
    )
    json_at = [index for name, index in given.items() if isinstance(by_attname[name], models.JSONField)]
    names = ", ".join([by_attname[name].column for name in given] + [f.column for f in left_out])
    count = 0
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for index in json_at:
                    row[index] = json.dumps(row[index])
                row = tuple(row)
            copy.write_row(row + defaults)
            count += 1
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
REPORT_COLUMNS = [
    "id",
    "session_id",
    "clinic_id",
    "reported_at",
    "source",
    "recorded_by_id",
    "wants_call",
    "note",
    "created_at",
]
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
    copy_rows(SessionProduct, ["session_id", "batch_id", "volume_ml", "performed_at", "patient_id"], tables.products)
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
def indexes_and_keys_set_aside(models_loaded: list, *, say: Callable[[str], None]) -> Iterator[None]:
    """Drop the loaded tables' indexes, primary keys, unique constraints and foreign keys (and the
    foreign keys of other tables that point at them); once loaded, build each again and check each
    foreign key over the whole table.

    Keeping a dozen indexes in step row by row, and looking up the row each key points at row by
    row, is most of the cost of a large load: random UUIDs scatter each row's index entries over
    indexes larger than memory. Building each index once from sorted data, and checking each key
    with one join (ALTER TABLE … VALIDATE CONSTRAINT), is a fraction of it. A duplicate fails the
    load when its primary key or unique constraint is built again, and a key that points nowhere
    when it is checked. PostgreSQL only: SQLite loads are test-sized.
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
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('p', 'u') AND conrelid = ANY(%s::regclass[])""",
            [tables],
        )
        unique_keys = cursor.fetchall()
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))""",
            [tables, tables],
        )
        foreign_keys = cursor.fetchall()
        # Inside a caller's transaction, keys it left to check at commit are checked first: a table
        # with checks pending cannot be altered, and a key dropped alters the table it points at.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for table, name, _definition in unique_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # Inside a caller's transaction, foreign keys checked at commit must be checked first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for table, name, definition in unique_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            for _name, definition in indexes:
                cursor.execute(definition)
            say(f"{len(unique_keys) + len(indexes)} indexes built again in {time.perf_counter() - started:.0f} s")
            started = time.perf_counter()
            for table, name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID")
                cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
            cursor.execute("RESET maintenance_work_mem")
        say(f"{len(foreign_keys)} foreign keys checked in {time.perf_counter() - started:.0f} s")
