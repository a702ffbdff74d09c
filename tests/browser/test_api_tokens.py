"""A manager gives another system a token from the clinic's settings: sees it once, then revokes it; the
page passes the WCAG rules, and the API's documentation runs under the Content-Security-Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from api import keys
from api.models import ApiToken

from ..factories import PASSWORD
from .conftest import DESKTOP, log_in
from .test_accessibility import Findings
from .test_content_security_policy import Violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_creates_a_token_sees_it_once_and_revokes_it(page, screenshot, mary, harbour):
    findings = Findings()
    log_in(page, "mary", PASSWORD)
    page.get_by_role("button", name="Manage").click()
    page.get_by_role("link", name="Clinic settings").click()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens of Harbour Skin Clinic")).to_be_visible()
    findings.check(page, "the token page without a token")

    page.get_by_label("Name").fill("Booking sync")
    page.get_by_label("Write: Add patients and log sessions").check()
    page.get_by_role("button", name="Create token").click()

    new_token = page.get_by_test_id("new-token")
    expect(new_token).to_contain_text("Token “Booking sync” created")
    secret = new_token.locator("code").inner_text()
    token = ApiToken.objects.get()
    assert token.digest == keys.digest_of(secret)
    assert token.scopes == ["read", "write"]
    page.set_viewport_size(DESKTOP)
    screenshot("api-token-created", DESKTOP)
    findings.check(page, "the token page showing a new token")

    page.goto(reverse("api_tokens:index", args=[harbour.pk]))
    expect(page.get_by_test_id("token-row")).to_contain_text("Booking sync")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()

    page.get_by_test_id("token-row").get_by_text("Revoke", exact=True).click()
    page.get_by_role("button", name="Revoke “Booking sync”").click()
    expect(page.get_by_role("alert")).to_contain_text("Token “Booking sync” revoked: it no longer works.")
    expect(page.get_by_test_id("token-row")).to_contain_text("Revoked")
    token.refresh_from_db()
    assert token.revoked_by == mary
    screenshot("api-token-revoked", DESKTOP)
    findings.check(page, "the token page with a revoked token")
    findings.assert_none()


def test_the_api_documentation_runs_under_the_policy(page):
    violations = Violations()
    violations.watch(page)

    response = page.goto(reverse("api:docs"))

    assert "content-security-policy" in response.headers
    expect(page.get_by_text("Recovery Desk API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/recoveries/", exact=True).first).to_be_visible()
    violations.take(page)
    violations.assert_none()
