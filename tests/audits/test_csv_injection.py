"""No CSV the app writes lets a spreadsheet run a cell as a formula."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.csv_safe import neutralised
from audits.models import Export

from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory

HOSTILE_NAME = '=HYPERLINK("http://x","click")'
HOSTILE_PRODUCT = "@SUM(1+1)"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Hannah Harbour", "Hannah Harbour"),
        ("12.5", "12.5"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert neutralised(value) == written


@pytest.fixture
def hostile_session(harbour, alice):
    batch = BatchFactory(product__clinic=harbour, product__name=HOSTILE_PRODUCT, lot_number="HX-1")
    patient = PatientFactory(clinic=harbour, first_name=HOSTILE_NAME, last_name="Smith")
    return TreatmentSessionFactory(
        patient=patient, practitioner=alice, batches=[batch], performed_at=timezone.now() - timedelta(days=2)
    )


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(text: str) -> None:
    for cell in cells(text):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_streamed_sessions_export_neutralises_names(client_for, mary, harbour, hostile_session):
    today = timezone.localdate()
    response = client_for(mary).get(
        reverse("audits:sessions_csv"), {"clinic": str(harbour.pk), "start": today - timedelta(days=30), "end": today}
    )
    text = b"".join(response.streaming_content).decode()

    assert f"'{HOSTILE_NAME} Smith" in cells(text)
    assert_no_formula(text)


def test_the_prepared_sessions_export_neutralises_names(
    client_for, mary, harbour, hostile_session, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(mary).post(
            reverse("audits:exports"), {"clinic": str(harbour.pk), "start": today - timedelta(days=30), "end": today}
        )
    download = client_for(mary).get(reverse("audits:export_download", args=[Export.objects.get().pk]))
    text = b"".join(download.streaming_content).decode()

    assert_no_formula(text)
    assert any(cell.startswith(f"'{HOSTILE_PRODUCT}") for cell in cells(text))


def test_the_batch_contacts_neutralise_names(client_for, mary, hostile_session):
    batch = hostile_session.products_used.get().batch
    text = client_for(mary).get(reverse("batches:contacts", args=[batch.pk])).content.decode()

    assert f"'{HOSTILE_NAME} Smith" in cells(text)
    assert_no_formula(text)


def test_the_audit_tables_neutralise_product_names(client_for, mary, hostile_session):
    response = client_for(mary).get(reverse("audits:csv", args=["product"]))
    text = b"".join(response.streaming_content).decode()

    assert f"'{HOSTILE_PRODUCT}" in cells(text)
    assert_no_formula(text)
