"""Files as spreadsheets write them, for the import's tests."""

import csv
import io

from openpyxl import Workbook

from imports.checks import plan_made
from imports.columns import KINDS
from imports.reading import table_read


def csv_file(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    return text.getvalue().encode(encoding)


def xlsx_file(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def kind_file(kind: str, *lines: dict, **options) -> bytes:
    """A CSV of `kind` with our own column names as its header, each line a dict of its cells."""
    names = KINDS[kind].names
    return csv_file([names, *([line.get(name, "") for name in names] for line in lines)], **options)


def plan_of(clinic, now, **files: bytes):
    """The dry run of these files, each read by our own column names."""
    tables = {}
    for kind in KINDS:
        if kind in files:
            table = table_read(files[kind], f"{kind}.csv")
            tables[kind] = (table, {name: name for name in KINDS[kind].names if name in table.headers})
    return plan_made(clinic=clinic, files=tables, now=now)
