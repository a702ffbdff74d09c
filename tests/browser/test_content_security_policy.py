"""Every kind of page works under the Content-Security-Policy: the browser refuses nothing on it.

A page that breaks the policy still loads, only a style or a script is silently dropped, so
these tests watch what the browser reports, both its console messages naming the policy and the
`securitypolicyviolation` events, on every page type, after each live refresh and after the
scripts that change a page have run.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from audits.models import Export
from checkins import guides
from checkins import services as check_ins
from events.models import DomainEvent, EventKind
from photos import images
from photos import services as photo_services
from recovery import services
from recovery.models import CheckIn, CheckInStatus, GuideMessage, ReactionType, RedFlagQuestion
from recovery.rules import Severity
from webhooks import services as webhook_services
from webhooks.models import Attempt, AttemptError, Delivery

from ..factories import PASSWORD, BatchFactory, PatientFactory, TreatmentSessionFactory
from ..images import png
from ..two_factor import app_for
from .conftest import DESKTOP, SCREENSHOTS, calendar_days_ago, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts, so nothing the page does escapes it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
# The event is queued as a task: yield one task (a message, which the test clock does not hold
# back as it does timers) before reading what was recorded.
TAKE_RECORDED = """() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(window.cspViolations.splice(0));
  channel.port2.postMessage(null);
})"""


class Violations:
    def __init__(self):
        self.found: list[str] = []

    def watch(self, page):
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page, message):
        if "Content Security Policy" in message.text:
            self.found.append(f"{urlsplit(page.url).path} (console): {message.text}")

    def take(self, page):
        path = urlsplit(page.url).path
        self.found.extend(f"{path} (event): {event}" for event in page.evaluate(TAKE_RECORDED))

    def assert_none(self):
        assert not self.found, "Refused by the Content-Security-Policy:\n" + "\n".join(self.found)


@pytest.fixture
def violations(page):
    log = Violations()
    log.watch(page)
    return log


def visit(page, violations, path, *, status=200, lands_on=None):
    """Open `path` and check it is the page asked for, served under the policy."""
    response = page.goto(path)
    assert response.status == status, f"{path} answered {response.status}"
    assert urlsplit(page.url).path == (lands_on or urlsplit(path).path), f"{path} went to {page.url}"
    assert "content-security-policy" in response.headers, f"{path} has no Content-Security-Policy"
    violations.take(page)


@pytest.fixture
def records(harbour, alice, mary):
    """A clinic with a recovery overdue, one needing attention, a notification and an export under way."""
    batch = BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", consents_to_photos=True)
    three_days_ago = timezone.now() - timedelta(days=3)
    overdue = TreatmentSessionFactory(patient=patient, practitioner=alice, batches=[batch], performed_at=three_days_ago)
    redness = ReactionType.objects.get(clinic=harbour, code="redness")
    swelling = ReactionType.objects.get(clinic=harbour, code="swelling")
    services.report_create(
        session=overdue,
        reported_at=three_days_ago + timedelta(hours=20),
        reactions=[services.ReactionEntry(redness, Severity.MILD), services.ReactionEntry(swelling, Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
    )
    attention = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Ivy", last_name="Island"),
        practitioner=alice,
        batches=[batch],
        performed_at=timezone.now() - timedelta(hours=30),
    )
    services.report_create(
        session=attention,
        reported_at=timezone.now() - timedelta(hours=2),
        reactions=[services.ReactionEntry(redness, Severity.MODERATE)],
        red_flags_present=list(RedFlagQuestion.objects.filter(clinic=harbour, code="fever")),
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
    )
    photo = photo_services.session_photos_add(
        session=overdue,
        entries=[photo_services.PhotoEntry(image=images.safe_image(png()), area=overdue.areas.first().area)],
        added_by=alice,
    )[0]
    export = Export.objects.create(
        clinic=harbour,
        requested_by=mary,
        start=timezone.localdate() - timedelta(days=30),
        end=timezone.localdate(),
        status="running",
        done_rows=42,
        total_rows=100,
    )
    endpoint = webhook_services.endpoint_create(
        clinic=harbour, url="https://hooks.example.org/recovery-desk", kinds=[EventKind.NEEDS_ATTENTION], by=mary
    )
    event = DomainEvent.objects.get(kind=EventKind.NEEDS_ATTENTION)
    delivery = Delivery.objects.create(
        event=event,
        endpoint=endpoint,
        body=webhook_services.payload_body(event),
        attempts=2,
        next_attempt_at=timezone.now() + timedelta(minutes=2),
        retry_until=timezone.now() + timedelta(days=1),
    )
    Attempt.objects.create(delivery=delivery, at=timezone.now() - timedelta(minutes=1), status_code=500, answer="busy")
    Attempt.objects.create(delivery=delivery, at=timezone.now(), error=AttemptError.TIMEOUT)
    return {
        "batch": batch,
        "patient": patient,
        "session": overdue,
        "attention": attention,
        "export": export,
        "photo": photo,
        "endpoint": endpoint,
        "delivery": delivery,
    }


def staff_page_paths(records) -> list[str]:
    """One page of each kind a manager works with, beside the dashboard and the session's pages."""
    session, patient, batch = records["session"], records["patient"], records["batch"]
    product, clinic = batch.product, session.clinic
    reaction_type = clinic.reaction_types.first()
    red_flag = clinic.red_flag_questions.first()
    return [
        reverse("recovery:dashboard") + "?status=needs_attention",
        reverse("recovery:notifications"),
        reverse("treatments:session_list"),
        reverse("recovery:follow_up_create", args=[records["attention"].pk]),
        reverse("recovery:complication_create", args=[session.pk]),
        reverse("recovery:close", args=[session.pk]),
        reverse("patients:list"),
        reverse("patients:create"),
        reverse("patients:edit", args=[patient.pk]),
        reverse("treatments:patient_detail", args=[patient.pk]),
        reverse("treatments:product_list"),
        reverse("treatments:product_create"),
        reverse("treatments:product_detail", args=[product.pk]),
        reverse("treatments:product_edit", args=[product.pk]),
        reverse("treatments:batch_create", args=[product.pk]),
        reverse("treatments:batch_edit", args=[batch.pk]),
        reverse("batches:detail", args=[batch.pk]),
        reverse("audits:index"),
        reverse("audits:zones"),
        reverse("audits:exports"),
        reverse("audits:export_detail", args=[records["export"].pk]),
        reverse("audits:patient_trail", args=[patient.pk]),
        reverse("recovery:catalogue"),
        reverse("recovery:reaction_type_edit", args=[reaction_type.pk]),
        reverse("recovery:red_flag_edit", args=[red_flag.pk]),
        reverse("clinics:settings"),
        reverse("recovery:clinic_settings_edit", args=[clinic.pk]),
        reverse("api_tokens:index", args=[clinic.pk]),
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("photos:photo_add", args=[session.pk]),
        reverse("photos:photo_compare", args=[session.pk]),
        reverse("photos:photo_delete", args=[records["photo"].pk]),
        reverse("audits:patient_erase", args=[patient.pk]),
        reverse("audits:removals"),
        reverse("treatments:batch_receive"),
        reverse("webhooks:endpoint_list", args=[clinic.pk]),
        reverse("webhooks:endpoint_create", args=[clinic.pk]),
        reverse("webhooks:endpoint_detail", args=[records["endpoint"].pk]),
        reverse("webhooks:endpoint_edit", args=[records["endpoint"].pk]),
        reverse("webhooks:delivery_detail", args=[records["delivery"].pk]),
    ]


def test_every_staff_page_runs_under_the_policy(page, violations, screenshot, mary, records):
    session = records["session"]
    log_in(page, "mary", PASSWORD)
    expect(page.get_by_test_id("count-overdue")).to_have_text("1")
    violations.take(page)
    screenshot("csp-dashboard", DESKTOP)

    for path in staff_page_paths(records):
        visit(page, violations, path)

    visit(page, violations, reverse("photos:session_detail", args=[session.pk]))
    screenshot("csp-session", DESKTOP)
    visit(page, violations, reverse("photos:report_create", args=[session.pk]))
    screenshot("csp-report-form", DESKTOP)
    visit(page, violations, reverse("recovery:session_create"))
    page.get_by_role("button", name="Add another product").click()
    page.get_by_role("combobox", name="Patient").fill("Hann")
    expect(page.locator(".ts-dropdown .option", has_text="Hannah Harbour")).to_be_visible()
    violations.take(page)
    violations.assert_none()


def test_live_refreshes_swap_in_content_without_a_violation(page, violations, screenshot, mary, records):
    page.clock.install()
    log_in(page, "mary", PASSWORD)
    for path, every in [
        (reverse("recovery:dashboard"), 60_000),
        (reverse("audits:export_detail", args=[records["export"].pk]), 2_000),
    ]:
        visit(page, violations, path)
        # Marks the content drawn with the page: the refresh replaces it with its own.
        page.locator("[hx-get]").evaluate("element => element.classList.add('first-drawn')")
        page.clock.run_for(every + 1_000)
        expect(page.locator("[hx-get]")).to_be_visible()
        expect(page.locator(".first-drawn")).to_have_count(0)
        violations.take(page)
    screenshot("csp-export-progress", DESKTOP)
    violations.assert_none()


def test_the_admin_runs_under_the_policy(page, violations, mary, records):
    session, batch, patient = records["session"], records["batch"], records["patient"]
    reaction_type = session.clinic.reaction_types.first()
    log_in(page, "mary", PASSWORD)
    for path in [
        reverse("admin:index"),
        reverse("admin:treatments_product_changelist"),
        reverse("admin:treatments_product_change", args=[batch.product.pk]),
        reverse("admin:treatments_batch_changelist") + "?q=HB",
        reverse("admin:treatments_treatmentsession_changelist"),
        reverse("admin:treatments_treatmentsession_change", args=[session.pk]),
        reverse("admin:patients_patient_change", args=[patient.pk]),
        reverse("admin:recovery_reactiontype_history", args=[reaction_type.pk]),
        reverse("admin:password_change"),
    ]:
        visit(page, violations, path)

    visit(page, violations, reverse("admin:treatments_batch_add"))
    page.locator("#calendarlink0").click()
    expect(page.locator("#calendarbox0")).to_be_visible()
    violations.take(page)
    violations.assert_none()


def test_two_factor_sign_in_runs_under_the_policy(page, violations, mary, alice, harbour):
    app_for(alice)
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("mary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    violations.take(page)
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    page.get_by_role("button", name="Print").click()
    violations.take(page)

    for path in [
        reverse("two_factor:overview"),
        reverse("clinics:staff", args=[harbour.pk]),
    ]:
        visit(page, violations, path)
    page.get_by_text("Reset", exact=True).click()
    violations.take(page)
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Username").fill("mary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code did not work")).to_be_visible()
    violations.take(page)
    violations.assert_none()


def test_logging_in_and_out_and_resetting_a_password_run_under_the_policy(page, violations, alice):
    visit(page, violations, reverse("login"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    violations.take(page)

    visit(page, violations, reverse("password_reset"))
    page.get_by_label("Email").fill(alice.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page).to_have_url(reverse("password_reset_done"))
    violations.take(page)

    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    visit(page, violations, f"/accounts/reset/{uid}/{token}/", lands_on=f"/accounts/reset/{uid}/set-password/")
    page.locator("[name=new_password1]").fill("a-brand-new-long-password")
    page.locator("[name=new_password2]").fill("a-brand-new-long-password")
    page.get_by_role("button", name="Save the new password").click()
    expect(page).to_have_url(reverse("password_reset_complete"))
    violations.take(page)
    # The link, once used, opens a page saying so.
    visit(page, violations, f"/accounts/reset/{uid}/{token}/")

    log_in(page, "alice", "a-brand-new-long-password")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(reverse("login"))
    violations.take(page)

    visit(page, violations, reverse("admin:login"))

    # A form left open until its CSRF cookie is gone.
    visit(page, violations, reverse("login"))
    page.context.clear_cookies()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("a-brand-new-long-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="This form could not be sent")).to_be_visible()
    violations.take(page)

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        visit(page, violations, reverse("login"))
        page.get_by_label("Username").fill("alice")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Too many failed log-in attempts")).to_be_visible()
    violations.take(page)
    violations.assert_none()


def test_error_pages_and_the_health_check_run_under_the_policy(page, violations, alice):
    visit(page, violations, "/no-such-page/", status=404)
    # Beat never ran here, so the page lists a failing check.
    visit(page, violations, reverse("health"), status=500)
    log_in(page, "alice", PASSWORD)
    visit(page, violations, "/no-such-page/", status=404)
    visit(page, violations, reverse("audits:index"), status=403)
    violations.assert_none()


def test_the_patients_pages_run_under_the_policy_on_a_phone(phone, harbour, alice):
    violations = Violations()
    violations.watch(phone)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour"),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
        aftercare=["no_makeup_24h", "cold_compress"],
    )
    sent_at = timezone.now() - timedelta(hours=1)
    open_link = check_ins.link_path(
        CheckIn.objects.create(session=session, due_at=sent_at, status=CheckInStatus.SENT, sent_at=sent_at)
    )
    long_ago = timezone.now() - timedelta(hours=settings.CHECK_IN_LINK_HOURS + 1)
    expired_link = check_ins.link_path(
        CheckIn.objects.create(session=session, due_at=long_ago, status=CheckInStatus.SENT, sent_at=long_ago)
    )

    visit(phone, violations, open_link)
    phone.screenshot(path=SCREENSHOTS / "csp-check-in-phone.png", full_page=True)
    for no in phone.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    phone.locator(".answer-choices:not(.answer-choices-two)").first.locator("label").nth(1).click()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_test_id("advice")).to_be_visible()
    violations.take(phone)

    visit(phone, violations, expired_link)
    visit(phone, violations, open_link[:-2] + "x/", status=400)

    GuideMessage.objects.create(session=session, emailed_at=sent_at)
    guide_link = guides.link_path(session)
    visit(phone, violations, guide_link)
    phone.screenshot(path=SCREENSHOTS / "csp-guide-phone.png", full_page=True)
    closed_guide = TreatmentSessionFactory(
        patient=session.patient, practitioner=alice, performed_at=timezone.now() - timedelta(days=60)
    )
    GuideMessage.objects.create(session=closed_guide, emailed_at=timezone.now() - timedelta(days=60))
    visit(phone, violations, guides.link_path(closed_guide))
    expect(phone.get_by_role("heading", name="This recovery guide has closed")).to_be_visible()
    visit(phone, violations, guide_link[:-2] + "x/", status=400)
    violations.assert_none()


def test_a_refused_inline_style_is_reported(page, violations):
    # The watch itself: were it deaf, every test above would pass whatever the pages do.
    visit(page, violations, reverse("login"))
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">inline</p>')")
    violations.take(page)

    assert any("(console)" in found for found in violations.found), violations.found
    assert any("(event): style-src-attr" in found for found in violations.found), violations.found
