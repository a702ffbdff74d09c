"""An exported ZIP read back into a writer's plan, for the round-trip test: the CSV cells parsed by
their column's kind, the apostrophe the safe writer put before a formula-like cell taken off."""

import csv
import io
import zipfile
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from imports.columns import KINDS, LIST_SEPARATOR, ValueKind
from imports.export import clinic_export_write

PRODUCT_LINE = ("product_gtin", "product_name", "product_manufacturer", "lot_number", "volume_ml")


def _value(text: str, kind: str):
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    if text == "":
        return [] if kind == ValueKind.CHOICES else None
    return {
        ValueKind.DATE: date.fromisoformat,
        ValueKind.DATETIME: datetime.fromisoformat,
        ValueKind.DECIMAL: Decimal,
        ValueKind.INTEGER: int,
        ValueKind.CHOICES: lambda cell: cell.split(LIST_SEPARATOR),
        ValueKind.YES_NO: lambda cell: cell == "yes",
    }.get(kind, str)(text)


def read_zip(data: bytes) -> dict[str, list[dict]]:
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for code, kind in KINDS.items():
            reader = csv.DictReader(io.TextIOWrapper(archive.open(f"{code}.csv"), encoding="utf-8"))
            assert tuple(reader.fieldnames) == kind.names
            files[code] = [
                {name: _value(text, kind.column(name).kind) for name, text in line.items()} for line in reader
            ]
    return files


def plan_of(files: dict[str, list[dict]], *, source: str) -> dict:
    sessions: dict[str, dict] = {}
    lines = defaultdict(list)
    for line in files["sessions"]:
        session = {name: value for name, value in line.items() if name not in PRODUCT_LINE}
        sessions.setdefault(line["external_id"], session)
        if line["lot_number"]:
            lines[line["external_id"]].append({name: line[name] for name in PRODUCT_LINE})
    for number, session in sessions.items():
        session["products"] = lines[number]
    plan = {code: rows for code, rows in files.items() if code != "sessions"}
    plan["sessions"] = list(sessions.values())
    plan["source"] = source
    for rows in plan.values():
        if isinstance(rows, list):
            for row in rows:
                row["action"] = "create"
                for name in ("product_name", "product_manufacturer", "gtin", "product_gtin", "note", "notes"):
                    if name in row and row[name] is None:
                        row[name] = ""
    return plan


def exported_zip(clinic, *, with_photos: bool = False) -> bytes:
    target = io.BytesIO()
    clinic_export_write(clinic=clinic, target=target, with_photos=with_photos)
    return target.getvalue()
