"""Hostile records, and how a spreadsheet reads what the downloads hold: shared by the CSV and XLSX tests."""

import csv
import io
import re
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook

from audits.csv_safe import neutralised
from treatments.models import Area, SessionArea

from ..factories import BatchFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel in French and most EU locales splits a line on `;`, other tools on `,`, a tab or a
# line break, and some split inside quotes: each piece is checked as such a tool reads it.
PIECE_SEPARATORS = re.compile(r"[;,\t\r\n]")
HOSTILE_NAME = '=HYPERLINK("http://x","click")'
HOSTILE_PRODUCT = "@SUM(1+1)"
SPLIT_NAME = ("Smith;=1+2;", "@SUM(1)")
SPLIT_PRODUCT = 'Serum, =HYPERLINK("http://x")'
SPLIT_AREA = "Jaw; -left, +right"
PHONE = "+447700900123"


def hostile_sessions(harbour, alice):
    """Three sessions two days ago whose names, products and areas a spreadsheet would run; their batch."""
    doctor = MembershipFactory(clinic=harbour, user__first_name="-Dr", user__last_name="Smith,=2+3").user
    batch = BatchFactory(product__clinic=harbour, product__name=HOSTILE_PRODUCT, lot_number="HX-1")
    split_batch = BatchFactory(product__clinic=harbour, product__name=SPLIT_PRODUCT, lot_number="HX-2")
    performed_at = timezone.now() - timedelta(days=2)
    split = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name=SPLIT_NAME[0], last_name=SPLIT_NAME[1], phone=PHONE),
        practitioner=doctor,
        batches=[batch, split_batch],
        performed_at=performed_at,
    )
    SessionArea.objects.create(session=split, area=Area.OTHER, description=SPLIT_AREA)
    TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name=HOSTILE_NAME, last_name="Smith"),
        practitioner=alice,
        batches=[batch],
        performed_at=performed_at,
    )
    TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="-2+3", last_name="Tab\t=1"),
        practitioner=alice,
        batches=[batch],
        performed_at=performed_at,
    )
    return batch


def export_period(clinic) -> dict:
    today = timezone.localdate()
    return {"clinic": str(clinic.pk), "start": today - timedelta(days=30), "end": today}


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv_rows(text) for cell in row]


def assert_safe_csv(text: str) -> None:
    """Every field quoted, and no piece a tool splits off starts a formula, even past spaces and quotes."""
    requoted = io.StringIO()
    csv.writer(requoted, quoting=csv.QUOTE_ALL).writerows(csv_rows(text))
    assert text == requoted.getvalue()
    for piece in PIECE_SEPARATORS.split(text):
        assert not piece.lstrip(' "').startswith(FORMULA_STARTS), repr(piece)


def xlsx_cells(content: bytes) -> list[list]:
    """The one sheet's cells as openpyxl reads them back; none of them is a formula."""
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 1
    cells = [list(row) for row in workbook.active.iter_rows()]
    assert [cell.coordinate for row in cells for cell in row if cell.data_type == "f"] == []
    return cells


def as_in_the_csv(cell) -> str:
    """A cell read back from an XLSX, as the CSV writes the same value."""
    if cell.is_date:
        return f"{cell.value:%Y-%m-%d %H:%M}" if "h" in cell.number_format else f"{cell.value:%Y-%m-%d}"
    if isinstance(cell.value, int | float) and "." in cell.number_format:
        return f"{cell.value:.{len(cell.number_format.split('.')[1])}f}"
    return neutralised(cell.value)


def xlsx_as_csv_rows(content: bytes) -> list[list[str]]:
    return [[as_in_the_csv(cell) for cell in row] for row in xlsx_cells(content)]
