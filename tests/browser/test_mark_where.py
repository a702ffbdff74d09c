"""A patient marks on a phone where a reaction is, on the same drawings the practitioner charted;
staff do the same in a report they log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as check_ins
from recovery.models import CheckIn, CheckInStatus, ReactionMark, Recovery
from recovery.reasons import words
from recovery.rules import Status
from treatments.models import SessionZone

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import SCREENSHOTS, calendar_days_ago, log_in
from .test_accessibility import Findings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lips_session(harbour, alice):
    """Hannah's lips treated yesterday, and only the lips charted."""
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
        areas=["face"],
    )
    SessionZone.objects.create(session=session, zone="lips")
    return session


@pytest.fixture
def sent_check_in(lips_session):
    return CheckIn.objects.create(
        session=lips_session,
        due_at=timezone.now() - timedelta(hours=1),
        status=CheckInStatus.SENT,
        sent_at=timezone.now() - timedelta(hours=1),
    )


def tap_zone(page, diagram, zone):
    page.locator(f'#where-chart [data-diagram="{diagram}"] [data-zone="{zone}"]').click()


def test_a_patient_marks_redness_beyond_the_treated_lips_on_a_phone_and_is_told_to_call_now(phone, sent_check_in):
    phone.goto(check_ins.link_path(sent_check_in))
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    redness = phone.get_by_role("group", name="Redness or pinkness of the skin")
    # Where is asked only of a reaction that is there.
    expect(redness.get_by_role("button", name="Mark it on a drawing")).to_be_hidden()
    redness.get_by_text("Mild").click()
    redness.get_by_role("button", name="Mark it on a drawing").click()

    chart = phone.locator("#where-chart")
    expect(chart.get_by_role("heading")).to_have_text("Where: Redness or pinkness of the skin")
    expect(chart.locator('[data-diagram="face_front"]')).to_be_visible()
    expect(chart.locator('[data-diagram="scalp"]')).to_be_hidden()
    # The drawings come apart from the page, the lips treated at this session shaded on each that shows them.
    expect(chart.locator('[data-zone="lips"].treated')).to_have_count(3)
    expect(chart.locator(".chart-zone.treated")).to_have_count(3)
    expect(chart.locator('[data-diagram="face_front"] [data-zone="lips"] title')).to_have_text("Lips: treated")
    tap_zone(phone, "face_front", "cheek_left")
    expect(chart.get_by_role("status")).to_have_text("Marked: Left cheek.")
    expect(redness.get_by_label("Where is it? (optional)")).to_have_value("cheek_left")
    expect(chart.locator("circle.where-mark")).to_have_count(1)
    phone.screenshot(path=SCREENSHOTS / "check-in-mark-where-phone.png", full_page=True)
    findings = Findings()
    findings.check(phone, "a check-in with the drawing open")
    findings.assert_none()
    chart.get_by_role("button", name="Done").click()
    expect(chart).to_be_hidden()

    phone.get_by_role("button", name="Send my answers").click()

    advice = phone.get_by_test_id("advice")
    expect(advice).to_contain_text("Please call the clinic now")
    expect(advice).to_contain_text("You marked a reaction beyond the area that was treated")
    phone.screenshot(path=SCREENSHOTS / "check-in-marked-beyond-phone.png", full_page=True)
    mark = ReactionMark.objects.get()
    assert (mark.diagram, mark.zone, mark.treated_zones) == ("face_front", "cheek_left", ["lips"])
    assert None not in (mark.x, mark.y)
    recovery = Recovery.objects.get(session=sent_check_in.session)
    assert recovery.status_at() == Status.NEEDS_ATTENTION
    assert "Redness beyond the treated area (left cheek)" in [words(f) for f in recovery.assessment().findings]


def test_taking_back_a_reaction_takes_back_its_mark(phone, sent_check_in):
    phone.goto(check_ins.link_path(sent_check_in))
    swelling = phone.get_by_role("group", name="Puffiness or swelling")
    swelling.get_by_text("Moderate").click()
    swelling.get_by_role("button", name="Mark it on a drawing").click()
    tap_zone(phone, "face_front", "lips")
    expect(swelling.get_by_label("Where is it? (optional)")).to_have_value("lips")

    swelling.get_by_text("None").click()

    expect(swelling.get_by_label("Where is it? (optional)")).to_be_hidden()
    expect(swelling.get_by_label("Where is it? (optional)")).to_have_value("")
    expect(phone.locator("#where-chart")).to_be_hidden()


def test_drawings_that_cannot_be_fetched_leave_the_list_to_say_where(phone, sent_check_in):
    phone.route("**/check-in/drawings/**", lambda route: route.abort())
    phone.goto(check_ins.link_path(sent_check_in))
    swelling = phone.get_by_role("group", name="Puffiness or swelling")
    swelling.get_by_text("Moderate").click()
    swelling.get_by_role("button", name="Mark it on a drawing").click()

    chart = phone.locator("#where-chart")
    expect(chart.get_by_text("The drawings could not be shown: please choose the place from the list.")).to_be_visible()
    expect(chart.locator("svg")).to_have_count(0)
    swelling.get_by_label("Where is it? (optional)").select_option("lips")
    chart.get_by_role("button", name="Done").click()
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.get_by_role("button", name="Send my answers").click()

    expect(phone.get_by_test_id("advice")).to_be_visible()
    mark = ReactionMark.objects.get()
    assert (mark.zone, mark.x, mark.y) == ("lips", None, None)


def test_staff_mark_a_red_flag_on_the_drawing_in_a_report_they_log(page, lips_session, alice):
    log_in(page, "alice", PASSWORD)
    page.goto(reverse("photos:report_create", args=[lips_session.pk]))
    page.get_by_role("checkbox", name="Pale, dusky or mottled skin, or blisters", exact=True).check()
    flag_place = page.locator(
        ".where-block", has=page.get_by_label("Place on the chart: Pale, dusky or mottled skin, or blisters")
    )
    flag_place.get_by_role("button", name="Mark it on a drawing").click()
    page.locator("#where-chart").get_by_role("button", name="Somewhere else? Show every drawing").click()
    tap_zone(page, "face_front", "periorbital_right")
    expect(page.locator("#where-chart").get_by_role("status")).to_have_text("Marked: Around the right eye.")
    page.screenshot(path=SCREENSHOTS / "staff-report-mark-desktop.png", full_page=True)
    page.get_by_role("button", name="Save the report").click()

    expect(page.get_by_text("Report recorded.")).to_be_visible()
    mark = ReactionMark.objects.get()
    assert (mark.red_flag.code, mark.zone) == ("skin_colour", "periorbital_right")
