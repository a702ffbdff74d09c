"""What every check of a dry run shares: the clinic, the moment, and the plan it fills in.

A line is read cell by cell (`lines_read`); a cell that cannot be read refuses its line and every
other cell is still read, so one pass over a file lists all it needs fixing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clinics.models import Clinic

from . import messages
from .accepted import lookup
from .columns import KINDS, ValueKind
from .plan import Plan, Problem, stored
from .reading import Table
from .values import Read, Reading, ValueProblem, value_read


@dataclass
class Line:
    """A line of a file as read: its number, its values by our column names, whether it was refused."""

    number: int
    values: dict[str, Any]
    refused: bool = False


@dataclass
class DryRun:
    clinic: Clinic
    now: datetime
    plan: Plan

    def refuse(self, kind: str, line: Line | int, column: str, code: str, **params) -> None:
        number = line.number if isinstance(line, Line) else line
        if isinstance(line, Line):
            line.refused = True
        self.plan.refusals.append(Problem(kind=kind, line=number, column=column, code=code, params=params))

    def warn(self, kind: str, line: Line | int, column: str, code: str, **params) -> None:
        number = line.number if isinstance(line, Line) else line
        self.plan.warnings.append(Problem(kind=kind, line=number, column=column, code=code, params=params))

    def reading(self, kind: str) -> Reading:
        columns = KINDS[kind].columns
        lookups = {
            column.name: lookup(column, self.clinic)
            for column in columns
            if column.values_from and column.kind in (ValueKind.CHOICE, ValueKind.CHOICES, ValueKind.INTEGER)
        }
        return Reading(zone=self.clinic.zone, country=self.clinic.country, lookups=lookups)

    def lines_read(self, kind: str, table: Table, mapping: dict[str, str]) -> list[Line]:
        """Each line's cells read by the column they are mapped to; a column not mapped is empty."""
        file_kind = KINDS[kind]
        reading = self.reading(kind)
        # A file repeats its dates, codes and products on line after line: each is read once.
        memo: dict[tuple, Read | ValueProblem] = {}
        lines = []
        for number, cells in table.lines:
            line = Line(number=number, values={})
            for column in file_kind.columns:
                header = mapping.get(column.name)
                raw = cells.get(header, "") if header else ""
                key = (column.name, type(raw), raw)
                read = memo.get(key)
                if read is None:
                    try:
                        read = value_read(column, raw, reading)
                    except ValueProblem as problem:
                        read = problem
                    if column.kind != ValueKind.TEXT:
                        memo[key] = read
                if isinstance(read, ValueProblem):
                    self.refuse(kind, line, column.name, read.code, **read.params)
                    line.values[column.name] = None
                    continue
                if read.warning:
                    self.warn(kind, line, column.name, read.warning, value=read.value)
                line.values[column.name] = read.value
            if any(
                moment is not None and moment > self.now
                for column in file_kind.columns
                if column.kind == ValueKind.DATETIME
                for moment in [line.values.get(column.name)]
            ):
                self.refuse(kind, line, _first_future(file_kind, line, self.now), messages.IN_FUTURE)
            lines.append(line)
        return lines

    def row(self, kind: str, line: Line, action: str, existing_id=None, **extra) -> dict[str, Any]:
        """A clean row of the plan: the line's values as JSON keeps them."""
        row = {name: stored(value) for name, value in line.values.items()}
        row.update(line=line.number, action=action, existing_id=str(existing_id) if existing_id else None, **extra)
        self.plan.rows.setdefault(kind, []).append(row)
        return row


def _first_future(file_kind, line: Line, now: datetime) -> str:
    return next(
        column.name
        for column in file_kind.columns
        if column.kind == ValueKind.DATETIME and (line.values.get(column.name) or now) > now
    )


def same(stored_value: Any, read: Any) -> bool:
    """Whether a line leaves a stored value as it is: it says the same, or leaves its cell empty."""
    if read is None or read == "" or read == []:
        return True
    return (stored_value or "") == read
