"""Every page type passes axe-core's WCAG 2.2 A and AA rules, at a phone's width and a desktop's.

axe-core is vendored under tests/browser/vendor (from the npm registry) and evaluated in the page
by the test, so nothing of it is ever served by the app.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from checkins import guides
from checkins import services as check_ins
from photos import images
from photos import services as photo_services
from recovery import services as recovery_services
from recovery.marks import MarkEntry
from recovery.models import CheckIn, CheckInStatus, GuideMessage, ReactionType
from recovery.rules import Severity
from treatments.models import InjectionPoint, SessionZone

from .. import images as pictures
from ..factories import PASSWORD, BatchFactory, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, PHONE, SCREENSHOTS, calendar_days_ago, log_in
from .test_content_security_policy import records, staff_page_paths  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# What a screen reader's user finds their way by: one main landmark, every part of the page in a
# landmark, a first-level heading.
LANDMARKS = ["landmark-one-main", "region", "page-has-heading-one", "landmark-unique"]
RUN_LANDMARK_RULES = """async (rules) => {
  const result = await axe.run(document, {runOnly: {type: "rule", values: rules}});
  return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}"""
# WCAG 1.4.10: a phone page read at 200% zoom, or any page at 320 CSS pixels, reflows without
# scrolling sideways.
ZOOMED = {"width": 320, "height": 640}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}`
  );
}"""


class Findings:
    def __init__(self):
        self.found: list[str] = []

    def check(self, page, label: str) -> None:
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            if page.evaluate("typeof axe") == "undefined":
                page.evaluate(AXE)
            width = viewport["width"]
            self.found.extend(f"{label} at {width}px: {v}" for v in page.evaluate(RUN_AXE, WCAG_22_A_AA))

    def visit(self, page, path: str, *, status: int = 200) -> None:
        response = page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"
        # A check-in link's token stays out of the report.
        self.check(page, path.split("/check-in/")[0] or "a check-in link")

    def check_for_a_screen_reader_and_zoom(self, page, label: str) -> None:
        page.set_viewport_size(ZOOMED)
        if page.evaluate("typeof axe") == "undefined":
            page.evaluate(AXE)
        self.found.extend(f"{label}: {v}" for v in page.evaluate(RUN_LANDMARK_RULES, LANDMARKS))
        if page.evaluate("document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"):
            self.found.append(f"{label} scrolls sideways at 320px (200% zoom)")

    def assert_none(self) -> None:
        assert not self.found, "axe-core found:\n" + "\n".join(self.found)


def test_every_staff_page_passes_the_wcag_rules(page, mary, records):  # noqa: F811
    findings = Findings()
    session = records["session"]
    log_in(page, "mary", PASSWORD)
    findings.check(page, "dashboard")
    for path in [
        *staff_page_paths(records),
        reverse("photos:session_detail", args=[session.pk]),
        reverse("photos:report_create", args=[session.pk]),
        reverse("recovery:session_create"),
        reverse("recovery:session_create") + f"?after={session.pk}",
        reverse("recovery:reaction_history", args=[records["patient"].pk]),
        reverse("admin:index"),
        "/no-such-page/",
    ]:
        findings.visit(page, path, status=404 if path == "/no-such-page/" else 200)

    # The patient's page once htmx has drawn the reactions into it, and at 200% zoom.
    page.goto(reverse("treatments:patient_detail", args=[records["patient"].pk]))
    expect(page.get_by_test_id("reaction-history")).to_be_visible()
    findings.check(page, "the patient's page with the reactions across the series")
    findings.check_for_a_screen_reader_and_zoom(page, "the patient's page")
    # The session form with the type-ahead open.
    page.goto(reverse("recovery:session_create"))
    page.get_by_role("combobox", name="Patient").click()
    expect(page.locator("#id_session-patient-ts-dropdown .option").first).to_be_visible()
    findings.check(page, "the session form with the patient chooser open")
    findings.assert_none()


def test_the_signed_out_pages_pass_the_wcag_rules(page, alice):
    findings = Findings()
    for path in [reverse("login"), reverse("password_reset"), "/no-such-page/"]:
        findings.visit(page, path, status=404 if path == "/no-such-page/" else 200)
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    findings.check(page, "a refused login")
    findings.assert_none()


def test_the_two_factor_pages_pass_the_wcag_rules(page, mary):
    findings = Findings()
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("mary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    findings.check(page, "setting up an app")
    secret = page.get_by_test_id("secret").inner_text().replace(" ", "")
    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("recovery-codes").locator("code")).to_have_count(10)
    findings.check(page, "the recovery codes")
    findings.visit(page, reverse("two_factor:overview"))
    findings.assert_none()


def test_the_patients_pages_pass_the_wcag_rules(page, harbour, alice):
    findings = Findings()
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", consents_to_photos=True),
        practitioner=alice,
        performed_at=calendar_days_ago(1),
        aftercare=["no_makeup_24h", "cold_compress"],
    )
    sent_at = timezone.now() - timedelta(hours=1)
    link = check_ins.link_path(
        CheckIn.objects.create(session=session, due_at=sent_at, status=CheckInStatus.SENT, sent_at=sent_at)
    )

    findings.visit(page, link)
    findings.check_for_a_screen_reader_and_zoom(page, "the check-in")
    page.get_by_role("button", name="Send my answers").click()
    findings.check(page, "the check-in with what is missing")
    for no in page.locator(".border-danger-subtle label", has_text="No").all():
        no.click()
    page.locator(".answer-choices:not(.answer-choices-two)").first.locator("label").nth(1).click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_test_id("advice")).to_be_visible()
    findings.check(page, "the check-in's thank-you")
    findings.check_for_a_screen_reader_and_zoom(page, "the check-in's thank-you")
    findings.visit(page, link[:-2] + "x/", status=400)
    findings.check_for_a_screen_reader_and_zoom(page, "an altered link")

    GuideMessage.objects.create(session=session, emailed_at=sent_at)
    page.goto(guides.link_path(session))
    findings.check(page, "the recovery guide")
    findings.check_for_a_screen_reader_and_zoom(page, "the recovery guide")
    findings.assert_none()


def test_the_session_chart_passes_the_wcag_rules(page, harbour, alice):
    """A charted session: the lips and cheeks treated, three injection points, and the neck logged; two
    reports' marks (one beyond the treated zones, one of a zone chosen from a list) and photos of the
    face and the neck beside the chart."""
    findings = Findings()
    batch = BatchFactory(product__clinic=harbour, product__name="Lumen Lips", lot_number="LL-204")
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour", consents_to_photos=True),
        practitioner=alice,
        areas=["face", "neck", "hands"],
        batches=[batch],
        performed_at=calendar_days_ago(2),
    )
    use = session.products_used.get()
    for zone in ("lips", "cheek_left", "cheek_right", "neck_front", "hand_back_left"):
        SessionZone.objects.create(session=session, zone=zone)
    for x, y in (("0.45", "0.66"), ("0.55", "0.66"), ("0.66", "0.53")):
        InjectionPoint.objects.create(
            session=session,
            product_use=use,
            diagram="face_front",
            zone="lips" if y == "0.66" else "cheek_left",
            x=Decimal(x),
            y=Decimal(y),
            volume_ml=Decimal("0.1"),
        )
    photo_services.session_photos_add(
        session=session,
        entries=[photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area=a) for a in ("face", "neck")],
        added_by=alice,
    )
    redness, swelling = (ReactionType.objects.get(clinic=harbour, code=code) for code in ("redness", "swelling"))
    for hours, marked in (
        (6, [MarkEntry("face_front", "lips", reaction_type=redness, x=Decimal("0.5"), y=Decimal("0.64"))]),
        (
            30,
            [
                MarkEntry("face_front", "chin", reaction_type=redness, x=Decimal("0.5"), y=Decimal("0.78")),
                MarkEntry("neck_decolletage", "neck_front", reaction_type=swelling),
            ],
        ),
    ):
        recovery_services.report_create(
            session=session,
            reported_at=session.performed_at + timedelta(hours=hours),
            reactions=[recovery_services.ReactionEntry(reaction, Severity.MILD) for reaction in (redness, swelling)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=recovery_services.ReportSource.PATIENT,
            marks=marked,
        )
    log_in(page, "alice", PASSWORD)

    findings.visit(page, reverse("photos:session_detail", args=[session.pk]))
    findings.check_for_a_screen_reader_and_zoom(page, "the session's chart")
    expect(page.get_by_test_id("chart-points")).to_contain_text("Lips (Face, from the front): Lumen Lips, lot LL-204")
    expect(page.get_by_test_id("chart-marks").locator("li")).to_have_count(3)
    expect(page.get_by_test_id("chart-marks")).to_contain_text("Chin (Face, from the front) · beyond the treated zones")
    expect(page.get_by_role("img", name="Mark 3: Swelling, Front of the neck, zone chosen from a list")).to_have_count(
        2
    )
    SCREENSHOTS.mkdir(exist_ok=True)
    for name, viewport in (("session-chart", DESKTOP), ("session-chart-phone", PHONE)):
        page.set_viewport_size(viewport)
        page.get_by_test_id("session-chart").screenshot(path=SCREENSHOTS / f"{name}.png")
        page.get_by_test_id("beside-the-chart").screenshot(path=SCREENSHOTS / f"{name}-beside-photos.png")
    findings.assert_none()
