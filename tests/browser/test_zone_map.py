"""A manager opens the heat map from the audit: the zones coloured by rate band, a small sample hatched,
a reaction beyond the treated zones outlined, the table beside it; and it passes the WCAG rules."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from recovery import complications, services
from recovery.marks import MarkEntry
from recovery.models import ReactionType
from recovery.rules import Severity

from ..factories import PASSWORD, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, PHONE, calendar_days_ago, log_in
from .test_accessibility import Findings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_reactions_and_complications_by_zone_on_the_chart(page, screenshot, mary, alice, harbour):
    types = {t.code: t for t in ReactionType.objects.filter(clinic=harbour)}

    def session(days, **kwargs):
        return TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=calendar_days_ago(days), **kwargs
        )

    def mark(session, code, zone, diagram="face_front"):
        services.report_create(
            session=session,
            reported_at=session.performed_at + timedelta(hours=20),
            reactions=[services.ReactionEntry(types[code], Severity.MILD)],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
            marks=[MarkEntry(diagram, zone, reaction_type=types[code])],
        )

    # 24 sessions on the lower face: a quarter reacted on the lips, one on the chin, two confirmed.
    lower_face = [session(3 + i % 20, zones=["lips", "chin", "perioral"]) for i in range(24)]
    for treated in lower_face[:6]:
        mark(treated, "redness", "lips")
    mark(lower_face[6], "swelling", "chin")
    for treated in lower_face[7:9]:
        complications.complication_record(
            recovery=treated.recovery, complication_type="nodule", grade=2, recorded_by=alice
        )
    # Eight on the cheeks, one with a reaction on the neck it did not treat; one logged before the chart.
    cheeks = [session(4 + i, zones=["cheek_left", "cheek_right"]) for i in range(8)]
    mark(cheeks[0], "bruising", "neck_front", diagram="neck_decolletage")
    session(5, areas=["face", "neck"])

    log_in(page, "mary", PASSWORD)
    page.get_by_role("link", name="Audit").click()
    page.get_by_role("link", name="By zone of the chart").click()

    expect(page.get_by_role("heading", name="Reactions and complications by zone")).to_be_visible()
    lips = page.locator('[data-diagram="face_front"] [data-zone="lips"]')
    expect(lips).to_have_class(re.compile(r"\bheat-2\b"))
    expect(lips).to_have_attribute("aria-label", re.compile(r"^Lips: reactions 24\.0% \(95% CI 11\.5% to 43\.4%\)"))
    expect(page.locator('[data-diagram="face_front"] [data-zone="cheek_left"]')).to_have_class(
        re.compile(r"\bheat-small\b")
    )
    expect(page.locator('[data-diagram="neck_decolletage"] [data-zone="neck_front"]')).to_have_class(
        re.compile(r"\bheat-beyond\b")
    )
    expect(page.get_by_test_id("zone-row-lips")).to_contain_text("24.0%")
    expect(page.get_by_test_id("zone-row-cheek_left").get_by_test_id("small-sample")).to_be_visible()
    findings = Findings()
    findings.check(page, "the heat map")
    findings.check_for_a_screen_reader_and_zoom(page, "the heat map")
    screenshot("zone-heat-map", DESKTOP)
    screenshot("zone-heat-map-phone", PHONE)

    page.set_viewport_size(DESKTOP)
    page.get_by_label("Colour the chart by").select_option("complications")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("heat-legend")).to_contain_text("10% or more")
    expect(lips).to_have_class(re.compile(r"\bheat-3\b"))
    findings.check(page, "the heat map of complications")
    screenshot("zone-heat-map-complications", DESKTOP)
    findings.assert_none()
