"""No CSV the app writes lets a spreadsheet run a cell, or a piece of one, as a formula."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audits.csv_safe import neutralised
from audits.models import Export

from .spreadsheets import (
    HOSTILE_NAME,
    HOSTILE_PRODUCT,
    PHONE,
    assert_safe_csv,
    csv_cells,
    csv_rows,
    export_period,
    streamed,
)


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


def test_the_streamed_sessions_export_neutralises_every_piece(client_for, mary, harbour, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("audits:sessions_download"), export_period(harbour))).decode()

    assert_safe_csv(text)
    assert f"'{HOSTILE_NAME} Smith" in csv_cells(text)
    assert "Smith;'=1+2; '@SUM(1)" in csv_cells(text)
    assert "'-2+3 Tab\t'=1" in csv_cells(text)
    assert "'-Dr Smith,'=2+3" in csv_cells(text)
    assert "Face; Jaw; '-left, '+right" in csv_cells(text)
    assert any("; Serum, '=HYPERLINK" in cell for cell in csv_cells(text))


def test_the_prepared_sessions_export_neutralises_every_piece(
    client_for, mary, harbour, hostile_sessions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(mary).post(reverse("audits:exports"), export_period(harbour))
    download = client_for(mary).get(reverse("audits:export_download", args=[Export.objects.get().pk]))
    text = streamed(download).decode()

    assert_safe_csv(text)
    assert "Smith;'=1+2; '@SUM(1)" in csv_cells(text)
    assert any(cell.startswith(f"'{HOSTILE_PRODUCT}") for cell in csv_cells(text))


def test_the_batch_contacts_neutralise_every_piece_and_keep_phones_readable(client_for, mary, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("batches:contacts", args=[hostile_sessions.pk]))).decode()

    assert_safe_csv(text)
    assert f"'{HOSTILE_NAME} Smith" in csv_cells(text)
    assert "Smith;'=1+2; '@SUM(1)" in csv_cells(text)
    assert f"'{PHONE}" in csv_cells(text)


@pytest.mark.parametrize("breakdown", ["product", "practitioner", "batch"])
def test_the_audit_tables_neutralise_every_piece(client_for, mary, hostile_sessions, breakdown):
    text = streamed(client_for(mary).get(reverse("audits:csv", args=[breakdown]))).decode()

    assert_safe_csv(text)
    assert len(csv_rows(text)) > 2


def test_the_audit_table_names_a_hostile_product_as_text(client_for, mary, hostile_sessions):
    text = streamed(client_for(mary).get(reverse("audits:csv", args=["product"]))).decode()

    assert f"'{HOSTILE_PRODUCT}" in csv_cells(text)
    assert 'Serum, \'=HYPERLINK("http://x")' in csv_cells(text)
