"""French, seen in a browser: a patient answers a check-in on a phone, a member of staff switches."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from checkins import services as check_ins
from clinics.models import Role
from recovery.models import CheckIn, CheckInStatus

from ..factories import PASSWORD, MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory
from .conftest import SCREENSHOTS, calendar_days_ago, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(message: str) -> str:
    with translation.override("fr"):
        return gettext(message)


@pytest.fixture
def session(harbour, alice):
    patient = PatientFactory(clinic=harbour, first_name="Amélie", last_name="Durand", language="fr")
    return TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=calendar_days_ago(1))


def sent(session, hours_ago):
    at = timezone.now() - timedelta(hours=hours_ago)
    return CheckIn.objects.create(session=session, due_at=at, status=CheckInStatus.SENT, sent_at=at)


def test_a_patient_answers_a_check_in_in_french_on_a_phone(phone, session):
    phone.goto(check_ins.link_path(sent(session, 1)))
    expect(phone.get_by_role("heading", name=fr("How are you feeling?"))).to_be_visible()
    expect(phone.get_by_text("Rougeur ou peau rosée")).to_be_visible()
    phone.screenshot(path=SCREENSHOTS / "check-in-french-phone.png", full_page=True)

    for no in phone.locator(".border-danger-subtle label", has_text=fr("No")).all():
        no.click()
    redness = phone.get_by_role("group", name="Rougeur ou peau rosée")
    redness.get_by_text("Un peu", exact=True).click()
    phone.get_by_role("button", name=fr("Send my answers")).click()

    expect(phone.get_by_test_id("advice")).to_contain_text(fr("Thank you, we have your answers"))
    phone.screenshot(path=SCREENSHOTS / "check-in-french-thanks-phone.png", full_page=True)


def test_a_red_flag_screen_in_french(phone, session):
    phone.goto(check_ins.link_path(sent(session, 2)))
    for no in phone.locator(".border-danger-subtle label", has_text=fr("No")).all():
        no.click()
    discharge = "Y a-t-il du pus ou un écoulement de liquide sur la peau ?"
    phone.get_by_role("group", name=discharge).get_by_text(fr("Yes")).click()
    phone.get_by_role("button", name=fr("Send my answers")).click()

    advice = phone.get_by_test_id("advice")
    expect(advice).to_contain_text(fr("Please call the clinic now"))
    expect(advice).to_contain_text(discharge)
    phone.screenshot(path=SCREENSHOTS / "check-in-french-red-flag-phone.png", full_page=True)


def test_staff_switch_the_dashboard_to_french(page, alice):
    log_in(page, "alice", PASSWORD)
    menu = page.get_by_test_id("language-menu")
    menu.get_by_role("combobox").select_option("fr")
    menu.get_by_role("button").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name=fr("Log a session"))).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "dashboard-french.png", full_page=True)


def test_a_french_patients_red_flag_reads_in_each_managers_own_language(phone, page, browser, live_server, session):
    francoise = UserFactory(username="francoise", first_name="Françoise")
    MembershipFactory(user=francoise, clinic=session.clinic, role=Role.MANAGER)
    mary = UserFactory(username="mary", first_name="Mary")
    MembershipFactory(user=mary, clinic=session.clinic, role=Role.MANAGER)
    phone.goto(check_ins.link_path(sent(session, 2)))
    for no in phone.locator(".border-danger-subtle label", has_text=fr("No")).all():
        no.click()
    phone.get_by_role("group", name="Y a-t-il du pus ou un écoulement de liquide sur la peau ?").get_by_text(
        fr("Yes")
    ).click()
    phone.get_by_role("button", name=fr("Send my answers")).click()
    expect(phone.get_by_test_id("advice")).to_contain_text(fr("Please call the clinic now"))

    log_in(page, "mary", PASSWORD)
    page.goto(session.get_absolute_url())
    expect(page.get_by_test_id("recovery-reasons").first).to_contain_text("Red flag reported: Pus or discharge")
    expect(page.locator("body")).not_to_contain_text("Signe d'alerte")
    page.goto("/notifications/")
    expect(page.get_by_test_id("notification").first).to_contain_text("Red flag for Amélie Durand: Pus or discharge")

    french = browser.new_context(viewport=page.viewport_size, base_url=live_server.url).new_page()
    log_in(french, "francoise", PASSWORD)
    menu = french.get_by_test_id("language-menu")
    menu.get_by_role("combobox").select_option("fr")
    menu.get_by_role("button").click()
    french.goto(session.get_absolute_url())
    expect(french.get_by_test_id("recovery-reasons").first).to_contain_text(
        fr("Red flag reported: %(flag)s") % {"flag": "Pus ou écoulement"}
    )
    expect(french.locator("body")).not_to_contain_text("Red flag reported")
    french.screenshot(path=SCREENSHOTS / "session-french-manager.png", full_page=True)
    french.goto("/notifications/")
    expect(french.get_by_test_id("notification").first).to_contain_text(
        fr("Red flag for %(patient)s: %(flags)s") % {"patient": "Amélie Durand", "flags": "Pus ou écoulement"}
    )
    french.context.close()
