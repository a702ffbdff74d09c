"""An exported ZIP brought in again, for the round-trip test: each CSV of the import's kinds read and
checked by the import itself, each column mapped to its own name, into the plan the writer takes."""

import io
import zipfile

from imports.checks import plan_made
from imports.columns import KINDS
from imports.export import clinic_export_write
from imports.reading import table_read


def exported_zip(clinic, *, with_photos: bool = False) -> bytes:
    target = io.BytesIO()
    clinic_export_write(clinic=clinic, target=target, with_photos=with_photos)
    return target.getvalue()


def plan_of_zip(clinic, data: bytes, *, now, source: str):
    tables = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for kind in KINDS:
            table = table_read(archive.read(f"{kind}.csv"), f"{kind}.csv")
            assert tuple(table.headers) == KINDS[kind].names
            tables[kind] = (table, {name: name for name in KINDS[kind].names})
    return plan_made(clinic=clinic, files=tables, now=now, source=source)
