"""XLSX beside each CSV managers open in a spreadsheet: the same rows, every text a text cell, never a formula."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audits import xlsx_safe

from ..factories import PatientFactory, TreatmentSessionFactory
from .spreadsheets import (
    HOSTILE_NAME,
    HOSTILE_PRODUCT,
    PHONE,
    SPLIT_NAME,
    SPLIT_PRODUCT,
    csv_rows,
    streamed,
    xlsx_as_csv_rows,
    xlsx_cells,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def written(rows, *, title="Sheet") -> list[list]:
    target = io.BytesIO()
    xlsx_safe.write(target, rows, title=title)
    return xlsx_cells(target.getvalue())


def test_text_that_looks_like_a_formula_or_an_error_stays_text():
    [row] = written([["=1+2", "Smith;=1+2;", "@SUM(1)", "-2+3", "+447700900123", "#N/A", "\t=1"]])

    assert [(cell.value, cell.data_type) for cell in row] == [
        ("=1+2", "s"),
        ("Smith;=1+2;", "s"),
        ("@SUM(1)", "s"),
        ("-2+3", "s"),
        ("+447700900123", "s"),
        ("#N/A", "s"),
        ("\t=1", "s"),
    ]


def test_numbers_dates_and_times_keep_their_type():
    [row] = written([[3, Decimal("0.1682"), date(1990, 1, 31), datetime(2026, 3, 5, 9, 30)]])

    assert [(cell.value, cell.data_type) for cell in row] == [
        (3, "n"),
        (0.1682, "n"),
        (datetime(1990, 1, 31), "d"),
        (datetime(2026, 3, 5, 9, 30), "d"),
    ]


def test_characters_a_workbook_cannot_hold_are_dropped_not_refused():
    [row] = written([["Ann\x01a\x1b Smith", None, ""]])

    assert row[0].value == "Anna Smith"
    assert [cell.value for cell in row[1:]] == []


def test_a_sheet_name_excel_would_refuse_is_made_safe():
    target = io.BytesIO()
    xlsx_safe.write(target, [["x"]], title="Rates: by [batch]/lot, over thirty-one characters")

    assert load_workbook(target).active.title == "Rates- by -batch--lot, over thi"


@pytest.mark.parametrize("breakdown", ["product", "practitioner", "batch", "month"])
def test_an_audit_table_as_xlsx_holds_the_csvs_rows(client_for, mary, hostile_sessions, breakdown):
    client = client_for(mary)
    csv_text = streamed(client.get(reverse("audits:csv", args=[breakdown]))).decode()

    response = client.get(reverse("audits:xlsx", args=[breakdown]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="complication-rates-by-{breakdown}.xlsx"'
    assert xlsx_as_csv_rows(streamed(response)) == csv_rows(csv_text)


def test_an_audit_table_as_xlsx_names_hostile_products_as_typed(client_for, mary, hostile_sessions):
    cells = xlsx_cells(streamed(client_for(mary).get(reverse("audits:xlsx", args=["product"]))))

    labels = [row[0].value for row in cells]
    assert HOSTILE_PRODUCT in labels
    assert SPLIT_PRODUCT in labels
    assert [cell.value for cell in cells[1][1:6]] == [3, 0, 0.0, 0.0, pytest.approx(0.5615, abs=1e-4)]


def test_the_patients_to_contact_as_xlsx_hold_the_csvs_rows_with_phones_as_text(client_for, mary, hostile_sessions):
    client = client_for(mary)
    csv_text = streamed(client.get(reverse("batches:contacts", args=[hostile_sessions.pk]))).decode()

    response = client.get(reverse("batches:contacts_xlsx", args=[hostile_sessions.pk]))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="patients-to-contact-lot-HX-1.xlsx"'
    content = streamed(response)
    assert xlsx_as_csv_rows(content) == csv_rows(csv_text)
    cells = {row[0].value: row for row in xlsx_cells(content)[1:]}
    assert set(cells) == {" ".join(SPLIT_NAME), f"{HOSTILE_NAME} Smith", "-2+3 Tab\t=1"}
    phone = cells[" ".join(SPLIT_NAME)][2]
    assert (phone.value, phone.data_type) == (PHONE, "s")


@pytest.mark.parametrize("url_name", ["audits:xlsx", "batches:contacts_xlsx"])
def test_practitioners_cannot_download_an_xlsx(client_for, alice, hostile_sessions, url_name):
    args = ["product"] if url_name == "audits:xlsx" else [hostile_sessions.pk]

    response = client_for(alice).get(reverse(url_name, args=args))

    assert response.status_code == 403
    assert not response.has_header("Content-Disposition")


def test_another_clinics_batch_contacts_are_not_found_as_xlsx(client_for, mary, riverside_batch, bob):
    TreatmentSessionFactory(
        patient=PatientFactory(clinic=riverside_batch.product.clinic), practitioner=bob, batches=[riverside_batch]
    )

    response = client_for(mary).get(reverse("batches:contacts_xlsx", args=[riverside_batch.pk]))

    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")


def test_an_audit_xlsx_for_another_clinic_is_refused(client_for, mary, riverside):
    response = client_for(mary).get(reverse("audits:xlsx", args=["product"]), {"clinic": str(riverside.pk)})

    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")


def test_an_unknown_breakdown_is_refused_as_xlsx(client_for, mary):
    response = client_for(mary).get(reverse("audits:xlsx", args=["patient"]))

    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")


def downloaded_rows(response) -> list[list[str]]:
    content = streamed(response)
    return xlsx_as_csv_rows(content) if response["Content-Type"] == XLSX else csv_rows(content.decode())


@pytest.mark.parametrize("url_name", ["batches:contacts", "batches:contacts_xlsx"])
@pytest.mark.parametrize("patients", [3, 30])
def test_the_contacts_queries_do_not_grow_with_patients(
    client_for, mary, alice, harbour, harbour_batch, patients, url_name, django_assert_max_num_queries
):
    for _ in range(patients):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[harbour_batch])
    client = client_for(mary)

    with django_assert_max_num_queries(9):
        rows = downloaded_rows(client.get(reverse(url_name, args=[harbour_batch.pk])))

    assert len(rows) == patients + 1


@pytest.mark.parametrize("url_name", ["audits:csv", "audits:xlsx"])
@pytest.mark.parametrize("sessions", [3, 30])
def test_the_audit_download_queries_do_not_grow_with_sessions(
    client_for, mary, alice, harbour, harbour_batch, sessions, url_name, django_assert_max_num_queries
):
    for _ in range(sessions):
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, batches=[harbour_batch])
    client = client_for(mary)

    with django_assert_max_num_queries(10):
        rows = downloaded_rows(client.get(reverse(url_name, args=["batch"])))

    assert rows[1][:2] == ["All sessions", str(sessions)]
