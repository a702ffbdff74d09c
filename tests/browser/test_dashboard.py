from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recovery import services
from recovery.models import ReactionType
from recovery.rules import Severity

from ..factories import PASSWORD, TreatmentSessionFactory
from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recovery_moves_through_the_dashboard_as_time_passes_and_staff_act(
    page, screenshot, alice, harbour_patient, time_machine
):
    start = timezone.now().replace(microsecond=0) - timedelta(days=10)
    time_machine.move_to(start + timedelta(hours=20), tick=True)
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, performed_at=start)
    redness = ReactionType.objects.get(clinic=session.clinic, code="redness")
    services.report_create(
        session=session,
        reported_at=timezone.now(),
        reactions=[services.ReactionEntry(redness, Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
    )

    time_machine.move_to(start + timedelta(hours=30), tick=True)
    log_in(page, "alice", PASSWORD)
    expect(page.get_by_test_id("count-on_track")).to_have_text("1")
    expect(page.get_by_test_id("count-overdue")).to_have_text("0")
    expect(page.get_by_text("Nobody here")).to_be_visible()

    time_machine.move_to(start + timedelta(hours=49), tick=True)
    log_in(page, "alice", PASSWORD)
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    row = page.get_by_test_id("queue-row")
    expect(row).to_contain_text("Hannah Harbour")
    expect(row).to_contain_text("Redness should have faded by 48 h")
    screenshot("dashboard-overdue", DESKTOP)

    row.get_by_role("link", name="Open").click()
    page.get_by_role("link", name="Log a report").click()
    page.get_by_role("radiogroup", name="Redness").get_by_text("Mild").click()
    page.get_by_label("Fever").check()
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("link", name="Recoveries").click()

    expect(page.get_by_test_id("count-needs_attention")).to_have_text("1")
    expect(page).to_have_title("(1) Recoveries · Recovery Desk")
    expect(row).to_contain_text("Red flag reported: Fever")
    screenshot("dashboard-needs-attention", DESKTOP)
    screenshot("dashboard-needs-attention-phone", PHONE)
    page.set_viewport_size(DESKTOP)

    row.get_by_role("link", name="Act").click()
    page.get_by_label("Called: spoke to the patient").check()
    page.get_by_role("button", name="Save the follow-up").click()
    page.get_by_role("link", name="Recoveries").click()
    expect(row).to_contain_text("Followed up")
    expect(page).to_have_title("(1) Recoveries · Recovery Desk")

    row.get_by_role("link", name="Open").click()
    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_label("Antibiotics").check()
    page.get_by_role("button", name="Close the recovery").click()
    page.get_by_role("link", name="Recoveries").click()

    expect(page.get_by_text("Nobody here")).to_be_visible()
    expect(page.get_by_test_id("count-resolved")).to_have_text("1")


def test_counts_refresh_without_a_page_reload(page, alice, harbour_patient, time_machine):
    session = TreatmentSessionFactory(
        patient=harbour_patient, practitioner=alice, performed_at=timezone.now() - timedelta(hours=5)
    )
    page.clock.install()
    log_in(page, "alice", PASSWORD)
    expect(page.get_by_test_id("count-needs_attention")).to_have_text("0")
    page.evaluate("window.notReloaded = true")

    services.report_create(
        session=session,
        reported_at=timezone.now(),
        reactions=[],
        red_flags_present=list(session.clinic.red_flag_questions.filter(code="fever")),
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
    )
    page.clock.run_for(61_000)

    expect(page.get_by_test_id("count-needs_attention")).to_have_text("1")
    expect(page).to_have_title("(1) Recoveries · Recovery Desk")
    assert page.evaluate("window.notReloaded") is True
