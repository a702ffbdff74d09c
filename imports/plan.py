"""What a dry run found, kept on the import run between the preview and the writing.

The plan is plain data, JSON all the way down, so it is stored on the run as it is and read back by
the task that writes; the checks make it, the writer (`imports.writing.history_write`) reads it.

Rows are kept per kind, in the order of `columns.KINDS`, keyed by the column names of `columns.py`,
each value as JSON holds it: a date as ISO 8601 (`"2026-03-01"`), a time as ISO 8601 in UTC with its
offset (`"2026-03-01T09:30:00+00:00"`), a decimal as its text (`"1.50"`), a list of codes as a list,
yes/no as a boolean, an empty cell as None (a text column: ""). `revived()` gives the Python values back.

Every row also carries:
- "line": its line in the file (the first line of a session), for the messages;
- "action": create, update or skip (a duplicate, identical to what is stored);
- "existing_id": the id of the record it updates or skips (a patient's, product's, batch's or
  session's), else None. A patient's is also under "existing_patient_id" when a manager answered a
  same-person question "same person".

A session is one row for all its lines: the session's columns, and under "products" one dict per
product line with product_gtin (14 digits or ""), product_name, product_manufacturer, lot_number,
volume_ml and expired_at_use (the batch had expired on the session's day: imported, marked, counted).
Reactions and complications are one row per line, named by their session's external id.

Patients and sessions are matched by external id: the other system's number, kept on the patient or
session imported under it, or our own id, which the export writes as the external id. A session row
also carries "practitioner_id" (the user its e-mail names) and "patient_id" (the stored patient, when
the patients file does not bring them).

The writer reads `plan.for_writing()`: the same plan, its rows' values as Python values again.

A refusal stops the import; a warning is shown for the manager to confirm. Both keep a message code
and its parameters, worded in the reader's language when shown (`imports.messages`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .columns import KINDS, ValueKind


class Action:
    CREATE = "create"
    UPDATE = "update"
    SKIP = "skip"

    ALL = (CREATE, UPDATE, SKIP)


class Answer:
    """A manager's answer to a same-person question."""

    SAME = "same"
    NEW = "new"


@dataclass
class Problem:
    """A refused line, or one kept with a warning: where, and what, as a message code."""

    kind: str
    line: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SamePersonQuestion:
    """A patient of the file with another number than a stored patient of the same name and birth date."""

    line: int
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: str
    existing_patient_id: str
    existing_name: str


@dataclass
class StillInRecovery:
    """A session of the file whose recovery is not over: the manager follows it here or closes it."""

    session_external_id: str
    patient_name: str
    performed_at: str
    # "recent": under 14 days old; "report": a report in the last 14 days that is not all clear.
    reason: str


@dataclass
class Plan:
    clinic_id: str
    # The name the manager gave the system the files come from: imported sessions say so.
    source: str = ""
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refusals: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    questions: list[SamePersonQuestion] = field(default_factory=list)
    in_recovery: list[StillInRecovery] = field(default_factory=list)

    def rows_of(self, kind: str) -> list[dict[str, Any]]:
        return self.rows.get(kind, [])

    def counts(self) -> dict[str, dict[str, int]]:
        """For each kind in the file, how many rows are created, updated and skipped."""
        counted = {}
        for kind, rows in self.rows.items():
            counted[kind] = dict.fromkeys(Action.ALL, 0)
            for row in rows:
                counted[kind][row["action"]] += 1
        return counted

    @property
    def expired_at_use(self) -> int:
        return sum(
            1 for row in self.rows_of("sessions") for product in row.get("products", []) if product["expired_at_use"]
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        return cls(
            clinic_id=data["clinic_id"],
            source=data.get("source", ""),
            rows=data.get("rows", {}),
            refusals=[Problem(**problem) for problem in data.get("refusals", [])],
            warnings=[Problem(**problem) for problem in data.get("warnings", [])],
            questions=[SamePersonQuestion(**question) for question in data.get("questions", [])],
            in_recovery=[StillInRecovery(**session) for session in data.get("in_recovery", [])],
        )

    def with_answers(self, answers: dict[str, str]) -> Plan:
        """The plan with the managers' same-person answers ({external_id: same|new}) on its patient rows.

        "same" makes the row an update of the stored patient; "new" (or no answer) keeps it a new patient.
        """
        asked = {question.external_id: question.existing_patient_id for question in self.questions}
        patients = []
        for row in self.rows_of("patients"):
            existing = asked.get(row["external_id"])
            if existing and answers.get(row["external_id"]) == Answer.SAME:
                row = {**row, "action": Action.UPDATE, "existing_id": existing, "existing_patient_id": existing}
            patients.append(row)
        return Plan(
            clinic_id=self.clinic_id,
            source=self.source,
            rows={**self.rows, "patients": patients} if "patients" in self.rows else dict(self.rows),
            refusals=list(self.refusals),
            warnings=list(self.warnings),
            questions=list(self.questions),
            in_recovery=list(self.in_recovery),
        )

    def for_writing(self) -> Plan:
        """The plan with its rows' dates, times and decimals as Python values, as the writer takes them."""
        return Plan(
            clinic_id=self.clinic_id,
            source=self.source,
            rows={kind: [revived(kind, row) for row in rows] for kind, rows in self.rows.items()},
            refusals=list(self.refusals),
            warnings=list(self.warnings),
            questions=list(self.questions),
            in_recovery=list(self.in_recovery),
        )


def stored(value: Any) -> Any:
    """A parsed value as the plan keeps it in JSON."""
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _revived_value(value_kind: str, value: Any) -> Any:
    if value is None or value == "":
        return value
    if value_kind == ValueKind.DATE:
        return date.fromisoformat(value)
    if value_kind == ValueKind.DATETIME:
        return datetime.fromisoformat(value)
    if value_kind == ValueKind.DECIMAL:
        return Decimal(value)
    return value


def revived(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of the plan with its dates, times and decimals as Python values again."""
    file_kind = KINDS[kind]
    names = set(file_kind.names)
    revived_row = {
        name: _revived_value(file_kind.column(name).kind, value) if name in names else value
        for name, value in row.items()
    }
    if "products" in row:
        revived_row["products"] = [
            {**product, "volume_ml": _revived_value(ValueKind.DECIMAL, product.get("volume_ml"))}
            for product in row["products"]
        ]
    return revived_row
