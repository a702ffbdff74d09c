import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from audits.models import Export
from recovery import services as recovery_services
from recovery.models import RedFlagQuestion

from ..factories import PASSWORD, BatchFactory, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_audit_quarantines_a_batch_exports_and_reads_a_trail(page, screenshot, mary, alice, harbour):
    batch = BatchFactory(product__clinic=harbour, product__name="PN Repair", lot_number="PN-77")
    patients = [PatientFactory(clinic=harbour, first_name=name, last_name="Test") for name in ("Ada", "Bea", "Cleo")]
    for days, patient in enumerate(patients, start=3):
        session = TreatmentSessionFactory(
            patient=patient, practitioner=alice, batches=[batch], performed_at=timezone.now() - timedelta(days=days)
        )
        recovery_services.report_create(
            session=session,
            reported_at=session.performed_at + timedelta(hours=20),
            reactions=[],
            red_flags_present=list(RedFlagQuestion.objects.filter(clinic=harbour, code="discharge")),
            red_flags_asked=[],
            wants_call=False,
            source=recovery_services.ReportSource.PATIENT,
        )

    log_in(page, "mary", PASSWORD)
    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Complication audit")).to_be_visible()
    expect(page.get_by_text("How these numbers are counted")).to_be_visible()
    expect(page.get_by_test_id("cluster-mark")).to_be_visible()
    screenshot("audit", DESKTOP)

    page.goto(batch.get_absolute_url())
    expect(page.get_by_test_id("batch-session")).to_have_count(3)
    page.get_by_text("Quarantine this batch").click()
    page.get_by_label("Reason for quarantine").fill("Three infections in a week")
    page.get_by_role("button", name="Quarantine").click()
    expect(page.get_by_test_id("quarantine-banner")).to_contain_text("Three infections in a week")
    expect(page.get_by_test_id("contact")).to_have_count(3)
    screenshot("batch-quarantined", DESKTOP)

    page.goto("/audits/exports/")
    page.get_by_role("button", name="Prepare the export").click()
    expect(page.get_by_test_id("export-status")).to_contain_text("Ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV").click()
    assert "Ada Test" in Path(download.value.path()).read_text()
    assert Export.objects.get().status == "done"

    page.goto("/audits/exports/")
    page.get_by_label("Excel workbook (XLSX)").check()
    screenshot("exports", DESKTOP)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download now").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert "Ada Test" in [cell.value for row in sheet.iter_rows() for cell in row]

    page.goto(patients[0].get_absolute_url())
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_test_id("trail-entry").first).to_be_visible()
    expect(page.get_by_text("Record opened").first).to_be_visible()
    screenshot("patient-trail", DESKTOP)
