"""A clinic's shared tablet: once a member of staff logs out, Back brings back no patient's page."""

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, TreatmentSessionFactory
from .conftest import CHROMIUM_ARGS, DESKTOP, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tablet(browser, chromium_path, live_server):
    """Chromium as a tablet's browser runs it: with the back-forward cache, which Playwright turns off
    by default and which keeps whole pages in memory to show again on Back."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with_cache = browser.browser_type.launch(
            executable_path=chromium_path,
            args=CHROMIUM_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        page = with_cache.new_context(viewport=DESKTOP, base_url=live_server.url).new_page()
        page.set_default_timeout(10_000)
        yield page
        with_cache.close()


def test_back_after_logging_out_shows_the_login_page_not_the_patient(tablet, alice, harbour_patient, harbour_batch):
    page = tablet
    session = TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, batches=[harbour_batch])
    log_in(page, "alice", PASSWORD)
    page.goto(f"/patients/{harbour_patient.pk}/")
    page.goto(f"/sessions/{session.pk}/")
    expect(page.get_by_text("Hannah Harbour").first).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
    page.go_back(wait_until="commit")

    expect(page.get_by_label("Username")).to_be_visible()
    assert "Hannah" not in page.content()
    page.go_back(wait_until="commit")
    expect(page.get_by_label("Username")).to_be_visible()
    assert "Hannah" not in page.content()
