from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as check_ins
from recovery import services
from recovery.models import CheckIn, CheckInStatus, ReactionType
from recovery.rules import Severity

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, SCREENSHOTS, calendar_days_ago, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_lump_at_day_15_tells_the_patient_to_call_and_tops_the_default_dashboard(
    phone, page, screenshot, harbour, alice
):
    now = timezone.now()
    hannah = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=calendar_days_ago(15),
    )
    day_14 = CheckIn.objects.create(
        session=hannah, due_at=now - timedelta(days=1), status=CheckInStatus.SENT, sent_at=now - timedelta(days=1)
    )
    # A recent recovery already overdue, which the new lump must outrank.
    olive = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Olive", last_name="Oak"),
        practitioner=alice,
        performed_at=now - timedelta(days=3),
    )
    services.report_create(
        session=olive,
        reported_at=now - timedelta(days=2),
        reactions=[services.ReactionEntry(ReactionType.objects.get(clinic=harbour, code="redness"), Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.STAFF,
        recorded_by=alice,
    )

    phone.goto(check_ins.link_path(day_14))
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.get_by_role("group", name="Small lumps or bumps under the skin").get_by_text("Mild").click()
    phone.get_by_role("button", name="Send my answers").click()

    advice = phone.get_by_test_id("advice")
    expect(advice).to_contain_text("Please call the clinic today")
    expect(advice.get_by_role("link", name="Call +44 20 7946 0101")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "check-in-call-today-phone.png", full_page=True)

    log_in(page, "alice", PASSWORD)
    page.goto("/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Hannah Harbour")
    expect(rows.first).to_contain_text("Needs attention")
    expect(rows.first).to_contain_text("New nodules or lumps 15 days after the session")
    expect(rows.first).to_contain_text("Nodules or lumps should have faded by 14 days")
    expect(rows.nth(1)).to_contain_text("Olive Oak")
    expect(page.get_by_test_id("count-needs_attention")).to_have_text("1")
    expect(page.get_by_test_id("period-note")).to_be_visible()
    expect(page.get_by_label("Period")).to_have_value("14")
    screenshot("dashboard-day-15-lump", DESKTOP)
