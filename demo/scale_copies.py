"""The neighbour groups of a large host, copied in SQL from the benchmark's group.

Generating a session runs the recovery rules in Python; ten million of them would take the two
cores of a small machine well over an hour. The neighbours are there to weigh on the tables and
their indexes, not to be read: each neighbour clinic is a copy of one of the benchmark group's
clinics (the first `sessions` of them, whole patients in order, the last one's series cut short),
under new ids, with its own staff, batches and catalogue, made by PostgreSQL with
INSERT … SELECT, clinic by clinic in the workers.

`copies_prepare` sets the source rows aside once, each with its session's place in its clinic;
`clinic_copy` writes one neighbour clinic; `copies_done` drops what was set aside.
"""

from django.db import connection, models

from clinics.models import Clinic, Membership, Role, User
from patients.models import Patient
from recovery.models import (
    CheckIn,
    Complication,
    FollowUp,
    ReactionReport,
    ReactionType,
    Recovery,
    RedFlagAnswer,
    RedFlagQuestion,
    ReportedReaction,
)
from treatments.models import Batch, SessionArea, SessionProduct, TreatmentSession

# Each table copied, with the SQL that gives each of its rows its session's place and clinic.
_BY_SESSION = (
    "SELECT t.*, p.place, p.source_clinic_id FROM {table} t JOIN scale_copy_places p ON p.session_id = t.{column}"
)
_BY_REPORT = """SELECT t.*, p.place, p.source_clinic_id FROM {table} t
    JOIN recovery_reactionreport r ON r.id = t.report_id JOIN scale_copy_places p ON p.session_id = r.session_id"""
PLACED = {
    Patient: """SELECT t.*, first.place, first.source_clinic_id FROM {table} t JOIN (
        SELECT s.patient_id, min(p.place) AS place, min(p.source_clinic_id::text)::uuid AS source_clinic_id
        FROM treatments_treatmentsession s JOIN scale_copy_places p ON p.session_id = s.id GROUP BY s.patient_id
        ) first ON first.patient_id = t.id""",
    TreatmentSession: _BY_SESSION.replace("{column}", "id"),
    SessionArea: _BY_SESSION.replace("{column}", "session_id"),
    SessionProduct: _BY_SESSION.replace("{column}", "session_id"),
    Recovery: _BY_SESSION.replace("{column}", "session_id"),
    ReactionReport: _BY_SESSION.replace("{column}", "session_id"),
    ReportedReaction: _BY_REPORT,
    RedFlagAnswer: _BY_REPORT,
    CheckIn: _BY_SESSION.replace("{column}", "session_id"),
    FollowUp: _BY_SESSION.replace("{column}", "recovery_id"),
    Complication: _BY_SESSION.replace("{column}", "recovery_id"),
}
# Records of the clinic's own set-up, matched between source and copy by what names them.
SET_UP = {
    User: "scale_copy_users",
    Batch: "scale_copy_batches",
    ReactionType: "scale_copy_reaction_types",
    RedFlagQuestion: "scale_copy_red_flags",
}
# Ids of copied records: a new id drawn from the old one and the copy's clinic, the same for a row
# and for every row that points at it.
COPIED = {Patient, TreatmentSession, ReactionReport, Recovery, CheckIn}


def _staged(model) -> str:
    return f"scale_copy_{model._meta.db_table}"


def copies_prepare(sources: list[Clinic]) -> None:
    """Set aside each source clinic's rows, each with its session's place in its clinic."""
    with connection.cursor() as cursor:
        cursor.execute(
            """CREATE UNLOGGED TABLE scale_copy_places AS
            SELECT id AS session_id, clinic_id AS source_clinic_id,
                   row_number() OVER (PARTITION BY clinic_id ORDER BY patient_id, series_number) AS place
            FROM treatments_treatmentsession WHERE clinic_id = ANY(%s)""",
            [[clinic.pk for clinic in sources]],
        )
        cursor.execute("CREATE INDEX ON scale_copy_places (session_id)")
        cursor.execute("ANALYZE scale_copy_places")
        for model, placed in PLACED.items():
            staged = _staged(model)
            cursor.execute(f"CREATE UNLOGGED TABLE {staged} AS {placed.format(table=model._meta.db_table)}")
            cursor.execute(f"CREATE INDEX ON {staged} (source_clinic_id, place)")
        for table in SET_UP.values():
            cursor.execute(
                f"""CREATE UNLOGGED TABLE {table}
                (clinic_id uuid, old_id text, new_id text, PRIMARY KEY (clinic_id, old_id))"""
            )


def set_up_matched(source: Clinic, copy: Clinic) -> None:
    """Pair the copy's staff, batches and catalogue with the source's, in the order they were made."""
    pairs = {
        "scale_copy_users": [
            _paired(Membership.objects.filter(clinic=clinic, role=Role.PRACTITIONER).order_by("user_id"), "user_id")
            for clinic in (source, copy)
        ],
        "scale_copy_batches": [
            _paired(Batch.objects.filter(product__clinic=clinic).order_by("product__name", "lot_number"), "pk")
            for clinic in (source, copy)
        ],
        "scale_copy_reaction_types": [
            _paired(ReactionType.objects.filter(clinic=clinic).order_by("code"), "pk") for clinic in (source, copy)
        ],
        "scale_copy_red_flags": [
            _paired(RedFlagQuestion.objects.filter(clinic=clinic).order_by("code"), "pk") for clinic in (source, copy)
        ],
    }
    managers = [
        Membership.objects.filter(clinic=clinic, role=Role.MANAGER)
        .order_by("user_id")
        .values_list("user_id", flat=True)[0]
        for clinic in (source, copy)
    ]
    with connection.cursor() as cursor:
        for table, (old, new) in pairs.items():
            if table == "scale_copy_users":
                old, new = [*old, managers[0]], [*new, managers[1]]
            cursor.executemany(
                f"INSERT INTO {table} (clinic_id, old_id, new_id) VALUES (%s, %s, %s)",
                [(copy.pk, str(a), str(b)) for a, b in zip(old, new, strict=True)],
            )


def _paired(queryset, field: str) -> list:
    return list(queryset.values_list(field, flat=True))


def clinic_copy(*, source: Clinic, copy: Clinic, sessions: int) -> int:
    """Write the copy clinic's first `sessions` sessions, as the source's, with everything under them."""
    params = {"source": source.pk, "copy": copy.pk, "copy_text": str(copy.pk), "sessions": sessions}
    with connection.cursor() as cursor:
        for model in PLACED:
            fields = [f for f in model._meta.concrete_fields if not _numbered(f)]
            columns = ", ".join(f.column for f in fields)
            values = ", ".join(_value(model, f) for f in fields)
            cursor.execute(
                f"""INSERT INTO {model._meta.db_table} ({columns}) SELECT {values} FROM {_staged(model)} c
                WHERE c.source_clinic_id = %(source)s AND c.place <= %(sessions)s""",
                params,
            )
    return sessions


def _numbered(field) -> bool:
    """A key the database numbers itself."""
    return field.primary_key and isinstance(field, models.AutoField)


def _value(model, field) -> str:
    column = f"c.{field.column}"
    target = field.related_model if field.is_relation else (model if field.primary_key else None)
    if target in COPIED:
        return f"md5({column}::text || %(copy_text)s)::uuid"
    if target is Clinic:
        return "%(copy)s"
    if target in SET_UP:
        cast = "uuid" if target is Batch else "bigint"
        return (
            f"(SELECT m.new_id::{cast} FROM {SET_UP[target]} m "
            f"WHERE m.clinic_id = %(copy)s AND m.old_id = {column}::text)"
        )
    if field.is_relation:
        raise ValueError(f"{model.__name__}.{field.name} points at {target.__name__}, which is not copied")
    if model is CheckIn and field.name == "code":
        # A code of the same alphabet and length, unique as the original is.
        return (
            f"left(translate(encode(decode(md5({column} || %(copy_text)s), 'hex'), 'base64'), '+/=', 'XYZ'), "
            f"length({column}))"
        )
    return column


def copies_done() -> None:
    with connection.cursor() as cursor:
        for model in PLACED:
            cursor.execute(f"DROP TABLE IF EXISTS {_staged(model)}")
        for table in SET_UP.values():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("DROP TABLE IF EXISTS scale_copy_places")
