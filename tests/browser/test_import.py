"""A manager brings a clinic's patients in from its former software: a semicolon-separated Latin-1 file
uploaded, its French columns matched, the preview read, the import confirmed, the bar run to its end;
and no page of it is refused by the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from imports.models import ImportMapping
from patients.models import Patient

from ..factories import PASSWORD
from ..imports.files import csv_file
from .conftest import log_in
from .test_accessibility import Findings
from .test_content_security_policy import Violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENTS = [
    ["Numéro", "Prénom", "Nom", "Né le", "Portable"],
    ["P1", "Zoé", "Lefèvre", "14/07/1985", "'+447400123456"],
    ["P2", "Élodie", "Müller", "01/02/1990", ""],
]


def test_a_manager_imports_patients_from_upload_to_done(page, mary, harbour, screenshot):
    violations = Violations()
    violations.watch(page)
    findings = Findings()
    log_in(page, "mary", PASSWORD)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Clinic settings").click()
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import into Harbour Skin Clinic")).to_be_visible()

    page.get_by_label("Where the files come from").fill("OldDesk")
    page.get_by_label("Kind of file").select_option("patients")
    page.locator("input[type=file]").set_input_files(
        {"name": "patients.csv", "mimeType": "text/csv", "buffer": csv_file(PATIENTS, delimiter=";", encoding="cp1252")}
    )
    page.get_by_role("button", name="Add the file").first.click()
    expect(page.get_by_test_id("import-file")).to_contain_text("Numéro, Prénom, Nom, Né le, Portable")

    page.get_by_test_id("to-mapping").click()
    page.get_by_label("Patient number", exact=True).select_option("Numéro")
    page.get_by_label("First name", exact=True).select_option("Prénom")
    page.get_by_label("Last name", exact=True).select_option("Nom")
    page.get_by_label("Date of birth", exact=True).select_option("Né le")
    page.get_by_label("Mobile phone", exact=True).select_option("Portable")
    findings.check(page, "the import's mapping")
    screenshot("import-mapping")
    page.get_by_test_id("check-files").click()

    page.get_by_test_id("to-preview").click()
    expect(page.get_by_test_id("import-counts")).to_contain_text("Patients")
    assert not Patient.objects.exists()
    findings.check(page, "the import's preview")
    screenshot("import-preview")
    page.get_by_test_id("confirm-import").click()

    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    screenshot("import-done")
    assert sorted(Patient.objects.values_list("first_name", flat=True)) == ["Zoé", "Élodie"]
    assert ImportMapping.objects.get(source="OldDesk").mapping["first_name"] == "Prénom"
    violations.take(page)
    violations.assert_none()
    findings.assert_none()
