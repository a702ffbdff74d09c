"""The patients who need the check-in most: a red flag sent with the rest half done, large text on a
small phone, and high contrast. Whatever else is wrong, the red flag is stored, the clinic told, and
the emergency advice is the first thing on the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as check_ins
from recovery.models import CheckIn, CheckInStatus, Notification, ReactionReport

from ..factories import PatientFactory, TreatmentSessionFactory
from .conftest import SCREENSHOTS, calendar_days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AIRWAY = "Are your lips, tongue or throat swelling, or is it hard to breathe or swallow?"
NARROW = {"width": 320, "height": 720}


@pytest.fixture
def link(harbour, alice):
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
    )
    sent_at = timezone.now() - timedelta(hours=1)
    check_in = CheckIn.objects.create(session=session, due_at=sent_at, status=CheckInStatus.SENT, sent_at=sent_at)
    return check_ins.link_path(check_in)


def expect_emergency_advice_first(phone):
    advice = phone.get_by_test_id("advice")
    expect(advice).to_contain_text("Call 999 now")
    expect(phone).to_have_title("Call 999 now")
    top_of_advice = advice.bounding_box()["y"]
    assert top_of_advice < phone.viewport_size["height"] / 2
    rest = phone.get_by_test_id("rest-of-answer")
    assert rest.bounding_box()["y"] > top_of_advice


def test_throat_swelling_with_the_other_questions_left_blank_is_heard(phone, link, alice):
    phone.goto(link)
    emergency_line = phone.get_by_test_id("emergency-line")
    expect(emergency_line.get_by_role("link", name="Call 999 now")).to_be_visible()
    assert emergency_line.bounding_box()["y"] < phone.get_by_role("group", name=AIRWAY).bounding_box()["y"]

    phone.get_by_role("group", name=AIRWAY).get_by_text("Yes").click()
    phone.get_by_role("button", name="Send my answers").click()

    expect_emergency_advice_first(phone)
    phone.screenshot(path=SCREENSHOTS / "red-flag-with-gaps-phone.png", full_page=True)
    report = ReactionReport.objects.get()
    assert report.red_flag_answers.get(question__code="airway").present
    assert len(report.unanswered) == 8
    assert Notification.objects.filter(recipient=alice, kind="red_flag").exists()

    for no in phone.get_by_test_id("rest-of-answer").locator("label", has_text="No").all():
        no.click()
    phone.get_by_role("button", name="Send these answers").click()

    expect(phone.get_by_test_id("advice")).to_contain_text("Call 999 now")
    expect(phone.get_by_test_id("rest-of-answer")).to_have_count(0)
    report.refresh_from_db()
    assert report.unanswered == []
    assert report.red_flag_answers.filter(present=False).count() == 8


def test_an_impossible_pain_score_does_not_hold_back_throat_swelling(phone, link):
    phone.goto(link)
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.get_by_role("group", name=AIRWAY).get_by_text("Yes").click()
    phone.get_by_label("How bad is the pain, from 0 (none) to 10 (the worst)?").fill("11")
    phone.get_by_role("button", name="Send my answers").click()

    expect_emergency_advice_first(phone)
    report = ReactionReport.objects.get()
    assert report.unanswered == ["pain:tenderness"]
    rest = phone.get_by_test_id("rest-of-answer")
    expect(rest.get_by_label("How bad is the pain, from 0 (none) to 10 (the worst)?")).to_be_visible()


def test_with_large_text_on_a_small_phone_every_answer_stays_on_the_screen(browser, live_server, link):
    context = browser.new_context(viewport=NARROW, base_url=live_server.url, is_mobile=True, bypass_csp=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        phone.goto(link)
        # Chrome's "Very large" text: 200% of the default size.
        phone.add_style_tag(content="html { font-size: 200% !important; }")
        redness = phone.get_by_role("group", name="Redness or pinkness of the skin")
        for choice in ["None", "Mild", "Moderate", "Severe"]:
            label = redness.get_by_text(choice, exact=True)
            expect(label).to_be_visible()
            box = label.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= NARROW["width"], f"{choice} leaves the screen"
        assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
        redness.get_by_text("Severe", exact=True).click()
        phone.screenshot(path=SCREENSHOTS / "check-in-large-text-320.png", full_page=True)
    finally:
        context.close()


def test_in_high_contrast_the_chosen_answer_and_the_focus_still_show(browser, live_server, link):
    context = browser.new_context(
        viewport=NARROW, base_url=live_server.url, is_mobile=True, forced_colors="active", color_scheme="dark"
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        phone.goto(link)
        airway = phone.get_by_role("group", name=AIRWAY)
        chosen = airway.get_by_text("Yes", exact=True)
        other = airway.get_by_text("No", exact=True)
        chosen.click()

        mark = chosen.evaluate("label => getComputedStyle(label, '::before').content")
        chosen_border = chosen.evaluate("label => getComputedStyle(label).borderTopWidth")
        other_border = other.evaluate("label => getComputedStyle(label).borderTopWidth")
        assert "✓" in mark
        assert chosen_border != other_border
        assert other.evaluate("label => getComputedStyle(label, '::before').content") in ("none", "normal")

        for _ in range(3):
            phone.keyboard.press("Tab")
            # A chosen answer's focus is drawn on its label: the radio itself is hidden.
            outline = phone.evaluate(
                """() => {
                    const focused = document.activeElement;
                    const drawn = focused.matches("input[type=radio]") ? focused.nextElementSibling : focused;
                    return getComputedStyle(drawn).outlineStyle;
                }"""
            )
            assert outline not in ("none", ""), phone.evaluate("document.activeElement.outerHTML")
        phone.screenshot(path=SCREENSHOTS / "check-in-forced-colours-320.png", full_page=True)
    finally:
        context.close()
