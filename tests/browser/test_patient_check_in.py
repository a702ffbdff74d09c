from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as check_ins
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionReport

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import SCREENSHOTS, calendar_days_ago, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sent_check_in(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
        aftercare=["no_makeup_24h", "cold_compress"],
    )
    return CheckIn.objects.create(
        session=session,
        due_at=timezone.now() - timedelta(hours=1),
        status=CheckInStatus.SENT,
        sent_at=timezone.now() - timedelta(hours=1),
    )


def answer_no_to_every_red_flag(phone):
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()


def test_patient_answers_on_a_phone_and_a_red_flag_gets_the_clinics_number_at_once(phone, page, sent_check_in, alice):
    phone.goto(check_ins.link_path(sent_check_in))
    expect(phone.get_by_role("heading", name="How are you feeling?")).to_be_visible()
    expect(phone.get_by_text("Cold compress for warmth or puffiness")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "check-in-phone.png", full_page=True)

    answer_no_to_every_red_flag(phone)
    phone.get_by_role("group", name="Redness or pinkness of the skin").get_by_text("Moderate").click()
    phone.get_by_role("group", name="Is there any pus or fluid coming from the skin?").get_by_text("Yes").click()
    phone.get_by_label("Anything else you want to tell us?").fill("It is oozing a little.")
    phone.get_by_role("button", name="Send my answers").click()

    advice = phone.get_by_test_id("advice")
    expect(advice).to_contain_text("Please call the clinic now")
    expect(advice.get_by_role("link", name="Call +44 20 7946 0101")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "check-in-red-flag-phone.png", full_page=True)
    report = ReactionReport.objects.get()
    assert (report.source, report.note) == ("patient", "It is oozing a little.")

    phone.reload()
    expect(phone.get_by_test_id("advice")).to_contain_text("Please call the clinic now")
    assert ReactionReport.objects.count() == 1

    log_in(page, "alice", PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notification")).to_contain_text("Red flag for Hannah Harbour: Pus or discharge")
    assert Notification.objects.get().emailed_at is not None


def test_breathing_trouble_sends_the_patient_to_emergency_services(phone, sent_check_in):
    phone.goto(check_ins.link_path(sent_check_in))
    answer_no_to_every_red_flag(phone)
    phone.get_by_role(
        "group", name="Are your lips, tongue or throat swelling, or is it hard to breathe or swallow?"
    ).get_by_text("Yes").click()
    phone.get_by_role("button", name="Send my answers").click()

    expect(phone.get_by_test_id("advice")).to_contain_text("Call 999 now")
    phone.screenshot(path=SCREENSHOTS / "check-in-emergency-phone.png", full_page=True)


def test_a_tampered_link_says_so_plainly(phone, sent_check_in):
    response = phone.goto(check_ins.link_path(sent_check_in).rstrip("/") + "x/")

    assert response.status == 400
    expect(phone.get_by_role("heading", name="This link is not valid")).to_be_visible()
