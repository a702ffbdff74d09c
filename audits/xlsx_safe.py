"""The one XLSX writer the app uses: every text is a text cell, never a formula.

openpyxl takes a str starting with `=` for a formula and one like `#N/A` for an error, so
each text cell is typed as text after its value is set; numbers, dates and times keep their
own type. A text keeps its words as typed (`Smith;=1+2;` stays readable and is never run),
less the control characters an XLSX file cannot hold. The workbook is write-only: openpyxl
spools each row to a temporary file as it comes, so a year of sessions never sits in memory.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPED = (int, float, Decimal, date, datetime)
# Excel refuses a sheet name longer than 31 characters or holding any of these.
SHEET_NAME_MAX = 31
SHEET_NAME_UNSAFE = re.compile(r"[\\/*?:\[\]]")


def _cell(sheet, value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        # Shown with the places it was given, as the CSV writes it (a rate: 0.1000, not 0.1).
        cell = WriteOnlyCell(sheet, value=value)
        places = -value.as_tuple().exponent
        if places > 0:
            cell.number_format = "0." + "0" * places
        return cell
    if isinstance(value, TYPED):
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    return cell


def write(target, rows: Iterable, *, title: str) -> None:
    """The rows as the one sheet of a workbook, saved to `target` (a path or a binary file)."""
    write_sheets(target, [(title, rows)])


def write_sheets(target, sheets: Iterable[tuple[str, Iterable]]) -> None:
    """Each (title, rows) as a sheet of one workbook, in order, saved to `target`."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(SHEET_NAME_UNSAFE.sub("-", title)[:SHEET_NAME_MAX] or "Sheet")
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    workbook.save(target)
