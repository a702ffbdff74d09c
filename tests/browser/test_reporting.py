"""A serious complication, seen in a browser from its confirmation to its report: the practitioner
grades it, the manager opens its pack, prints a form and records the report sent."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recovery.models import Complication
from vigilance.models import Submission

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(harbour, alice):
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Whitlock", sex="female")
    return TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=timezone.now() - timedelta(days=3))


def test_a_practitioner_confirms_a_serious_complication_and_the_manager_reports_it(
    page, screenshot, session, alice, mary
):
    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/{session.pk}/complications/new/")
    page.get_by_label("Type").select_option("infection")
    page.get_by_text("Grade 3 – severe or medically significant").click()
    page.get_by_label("Hospitalisation, or a longer stay").check()
    page.get_by_role("button", name="Save the complication").click()
    expect(page.get_by_test_id("complication")).to_contain_text("grade 3")
    expect(page.get_by_test_id("complication")).to_contain_text("Serious")
    # Reporting is the managers': the practitioner is not offered it.
    expect(page.get_by_test_id("report-event")).to_have_count(0)
    page.context.clear_cookies()

    log_in(page, "mary", PASSWORD)
    page.goto(session.get_absolute_url())
    page.get_by_test_id("report-event").click()
    expect(page.get_by_test_id("pack-form")).to_have_count(3)
    expect(page.get_by_test_id("narrative")).to_contain_text("A clinician confirmed infection")
    expect(page.get_by_test_id("narrative")).not_to_contain_text("Whitlock")
    expect(page.get_by_test_id("narrative")).not_to_contain_text("Hannah")
    page.get_by_label("Weight (kg)").fill("62.5")
    page.get_by_role("button", name="Save the details").click()
    expect(page.get_by_label("Weight (kg)")).to_have_value("62.5")
    screenshot("report-pack", DESKTOP)

    with page.expect_download() as download:
        page.get_by_test_id("pack-form").first.get_by_role("link", name="PDF").evaluate(
            "link => link.setAttribute('download', '')"
        )
        page.get_by_test_id("pack-form").first.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.goto("/audits/reportable-events/")
    expect(page.get_by_test_id("deadline")).to_contain_text("due in")
    page.get_by_role("link", name="Report sent", exact=True).click()
    page.get_by_label("Sent to").select_option("mhra")
    page.get_by_label("Sent on").fill(timezone.localdate().isoformat())
    page.get_by_label("Reference").fill("YC-2026-0042")
    page.get_by_role("button", name="Record the report").click()
    expect(page.get_by_test_id("submission")).to_contain_text("reference YC-2026-0042")
    screenshot("reportable-events", DESKTOP)
    assert Submission.objects.get().complication == Complication.objects.get()
