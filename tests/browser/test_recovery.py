from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recovery import services
from recovery.models import FollowUp, ReactionReport

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_logs_a_report_and_sees_the_status_and_its_reasons_change(
    page, screenshot, alice, harbour_patient
):
    session = TreatmentSessionFactory(
        patient=harbour_patient,
        practitioner=alice,
        performed_at=timezone.now() - timedelta(hours=30),
        areas=["face", "neck"],
    )
    log_in(page, "alice", PASSWORD)
    page.goto(session.get_absolute_url())
    status = page.get_by_test_id("recovery-status")
    expect(status).to_have_text("● On track")

    page.get_by_role("link", name="Log a report").click()
    page.get_by_role("radiogroup", name="Redness").get_by_text("Moderate").click()
    page.get_by_label("Face (Redness)").check()
    page.get_by_role("radiogroup", name="Tenderness or pain").get_by_text("Mild").click()
    page.get_by_label("Pain score for Tenderness or pain").fill("4")
    page.get_by_role("checkbox", name="Pus or discharge", exact=True).check()
    page.get_by_label("Note").fill("Yellow crust near the jaw.")
    page.get_by_role("button", name="Save the report").click()

    expect(page.get_by_text("Report recorded.")).to_be_visible()
    expect(status).to_contain_text("Needs attention")
    expect(page.get_by_test_id("recovery-reasons")).to_have_text(
        "⚠ Needs attention Red flag reported: Pus or discharge"
    )
    expect(page.get_by_text("Redness: Moderate (Face)")).to_be_visible()
    screenshot("session-needs-attention", DESKTOP)
    screenshot("session-needs-attention-phone", PHONE)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Acknowledge").click()
    page.get_by_label("Called: spoke to the patient").check()
    page.get_by_label("Note").fill("Booked in for a review this afternoon.")
    page.get_by_role("button", name="Save the follow-up").click()

    expect(status).to_contain_text("Followed up")
    expect(page.get_by_text("Booked in for a review this afternoon.")).to_be_visible()

    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_label("Treated in clinic").check()
    page.get_by_role("button", name="Close the recovery").click()

    expect(status).to_have_text("✔ Resolved")
    screenshot("session-resolved", DESKTOP)
    assert ReactionReport.objects.get().note == "Yellow crust near the jaw."
    assert FollowUp.objects.get().recorded_by == alice


def test_a_report_in_the_future_is_refused_on_the_page(page, alice, harbour_patient):
    session = TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, performed_at=timezone.now() - timedelta(hours=3)
    )
    log_in(page, "alice", PASSWORD)
    page.goto(f"{session.get_absolute_url()}reports/new/")
    later = timezone.localtime(timezone.now() + timedelta(days=2), session.clinic.zone)
    page.get_by_label("When the patient had these reactions").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the report").click()

    expect(page.get_by_text("A report cannot describe a moment in the future.")).to_be_visible()
    assert not ReactionReport.objects.exists()


def test_a_practitioner_calls_from_the_alert_no_answer_then_reached_then_closes(page, screenshot, alice, harbour):
    patient = PatientFactory(
        clinic=harbour, first_name="Hannah", last_name="Harbour", phone="+447400900111", sensitivities="Lidocaine"
    )
    session = TreatmentSessionFactory(
        patient=patient, practitioner=alice, performed_at=timezone.now() - timedelta(hours=20)
    )
    services.report_create(
        session=session,
        reported_at=timezone.now() - timedelta(hours=1),
        reactions=[],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=True,
        source=services.ReportSource.PATIENT,
    )
    log_in(page, "alice", PASSWORD)

    queue_row = page.get_by_test_id("queue-row").filter(has_text="Hannah Harbour")
    expect(queue_row.get_by_test_id("queue-call")).to_have_attribute("href", "tel:+447400900111")
    queue_row.get_by_role("link", name="Act").click()
    expect(page.get_by_test_id("sensitivities")).to_have_text("Lidocaine")
    page.goto(session.get_absolute_url())
    contact = page.get_by_test_id("patient-contact")
    expect(contact.get_by_test_id("call-link")).to_have_attribute("href", "tel:+447400900111")

    contact.get_by_role("button", name="No answer").click()
    expect(page.get_by_text("No answer: the call is counted")).to_be_visible()
    expect(page.get_by_test_id("recovery-status")).to_contain_text("Needs attention")
    expect(page.get_by_test_id("unanswered-calls")).to_have_text("☎ 1 call, no answer")
    screenshot("session-call-no-answer", DESKTOP)

    page.get_by_label("After the call: what was said (optional)").fill("Swelling settling; reassured.")
    page.get_by_test_id("patient-contact").get_by_role("button", name="Reached the patient").click()
    expect(page.get_by_test_id("recovery-status")).to_contain_text("Followed up")
    expect(page.get_by_text("Swelling settling; reassured.")).to_be_visible()

    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_label("Resolved on its own").check()
    page.get_by_role("button", name="Close the recovery").click()

    expect(page.get_by_test_id("recovery-status")).to_have_text("✔ Resolved")
    assert [f.action for f in FollowUp.objects.order_by("recorded_at")] == ["call_no_answer", "called"]
