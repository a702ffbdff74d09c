import re
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from ..factories import PASSWORD
from ..two_factor import app_for
from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = re.compile(r"/$")


def type_password(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_manager_sets_up_an_app_keeps_the_recovery_codes_and_signs_in_again_with_a_fresh_code(
    page, screenshot, mary, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    type_password(page, "mary")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    screenshot("two-factor-set-up", DESKTOP)
    screenshot("two-factor-set-up-phone", PHONE)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    screenshot("two-factor-recovery-codes", DESKTOP)
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page).to_have_url(DASHBOARD)
    page.get_by_role("button", name="Log out").click()

    # The app shows its next code half a minute later; the one used to set it up is spent.
    time_machine.shift(timedelta(seconds=30))
    type_password(page, "mary")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    screenshot("two-factor-code", DESKTOP)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_test_id("count-on_track")).to_be_visible()


def test_a_manager_resets_the_two_factor_sign_in_of_a_colleague_who_lost_their_phone(
    page, screenshot, mary, alice, harbour
):
    harbour.practitioners_need_two_factor = True
    harbour.save()
    app_for(alice)
    log_in(page, "mary", PASSWORD)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Clinic settings").click()
    page.get_by_role("link", name="Staff").click()
    screenshot("two-factor-staff", DESKTOP)

    alices_row = page.get_by_test_id("staff-row").filter(has_text="alice")
    alices_row.get_by_text("Reset", exact=True).click()
    alices_row.get_by_role("button", name=re.compile("Reset two-factor sign-in of Alice")).click()

    expect(page.get_by_role("alert")).to_contain_text("reset")
    expect(page.get_by_test_id("staff-row").filter(has_text="alice")).to_contain_text("Not set up yet")
    assert not TOTPDevice.objects.filter(user=alice).exists()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_test_id("recovery-codes-left")).to_be_visible()
    screenshot("two-factor-overview", DESKTOP)
