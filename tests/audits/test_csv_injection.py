"""No CSV the app writes lets a spreadsheet run a cell, or a piece of one, as a formula.

Excel in French and most EU locales splits a line on `;`, other tools on `,`, a tab or a
line break, and some split inside quotes: each piece is checked as such a tool reads it.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.csv_safe import neutralised
from audits.models import Export
from treatments.models import Area, SessionArea

from ..factories import BatchFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PIECE_SEPARATORS = re.compile(r"[;,\t\r\n]")
HOSTILE_NAME = '=HYPERLINK("http://x","click")'
HOSTILE_PRODUCT = "@SUM(1+1)"
SPLIT_NAME = ("Smith;=1+2;", "@SUM(1)")
SPLIT_PRODUCT = 'Serum, =HYPERLINK("http://x")'
SPLIT_AREA = "Jaw; -left, +right"
PHONE = "+447700900123"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("Smith;=1+2;", "Smith;'=1+2;"),
        ("Face, -Neck; +Scalp", "Face, '-Neck; '+Scalp"),
        ("Face;  @SUM(1)", "Face;  '@SUM(1)"),
        ('Face;"=1+2', "Face;\"'=1+2"),
        (" =1", " '=1"),
        ("Face\t=1", "Face\t'=1"),
        ("Face\n=1", "Face\n'=1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("Face; Neck (left, right)", "Face; Neck (left, right)"),
        ("Anne-Marie O'Neil", "Anne-Marie O'Neil"),
        ("Hannah Harbour", "Hannah Harbour"),
        ("12.5", "12.5"),
        (Decimal("0.1682"), "0.1682"),
        (datetime(2026, 3, 5, 9, 30, 12), "2026-03-05 09:30"),
        (date(1990, 1, 31), "1990-01-31"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_piece_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert neutralised(value) == written


@pytest.fixture
def hostile_sessions(harbour, alice):
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


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def cells(text: str) -> list[str]:
    return [cell for row in rows(text) for cell in row]


def assert_safe_csv(text: str) -> None:
    """Every field quoted, and no piece a tool splits off starts a formula, even past spaces and quotes."""
    requoted = io.StringIO()
    csv.writer(requoted, quoting=csv.QUOTE_ALL).writerows(rows(text))
    assert text == requoted.getvalue()
    for piece in PIECE_SEPARATORS.split(text):
        assert not piece.lstrip(' "').startswith(FORMULA_STARTS), repr(piece)


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def export_period(harbour) -> dict:
    today = timezone.localdate()
    return {"clinic": str(harbour.pk), "start": today - timedelta(days=30), "end": today}


def test_the_streamed_sessions_export_neutralises_every_piece(client_for, mary, harbour, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("audits:sessions_csv"), export_period(harbour)))

    assert_safe_csv(text)
    assert f"'{HOSTILE_NAME} Smith" in cells(text)
    assert "Smith;'=1+2; '@SUM(1)" in cells(text)
    assert "'-2+3 Tab\t'=1" in cells(text)
    assert "'-Dr Smith,'=2+3" in cells(text)
    assert "Face; Jaw; '-left, '+right" in cells(text)
    assert any("; Serum, '=HYPERLINK" in cell for cell in cells(text))


def test_the_prepared_sessions_export_neutralises_every_piece(
    client_for, mary, harbour, hostile_sessions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(mary).post(reverse("audits:exports"), export_period(harbour))
    download = client_for(mary).get(reverse("audits:export_download", args=[Export.objects.get().pk]))
    text = streamed(download)

    assert_safe_csv(text)
    assert "Smith;'=1+2; '@SUM(1)" in cells(text)
    assert any(cell.startswith(f"'{HOSTILE_PRODUCT}") for cell in cells(text))


def test_the_batch_contacts_neutralise_every_piece_and_keep_phones_readable(client_for, mary, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("batches:contacts", args=[hostile_sessions.pk])))

    assert_safe_csv(text)
    assert f"'{HOSTILE_NAME} Smith" in cells(text)
    assert "Smith;'=1+2; '@SUM(1)" in cells(text)
    assert f"'{PHONE}" in cells(text)


@pytest.mark.parametrize("breakdown", ["product", "practitioner", "batch"])
def test_the_audit_tables_neutralise_every_piece(client_for, mary, hostile_sessions, breakdown):
    text = streamed(client_for(mary).get(reverse("audits:csv", args=[breakdown])))

    assert_safe_csv(text)
    assert len(rows(text)) > 2


def test_the_audit_table_names_a_hostile_product_as_text(client_for, mary, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("audits:csv", args=["product"])))

    assert f"'{HOSTILE_PRODUCT}" in cells(text)
    assert 'Serum, \'=HYPERLINK("http://x")' in cells(text)
