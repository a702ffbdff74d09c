"""A practitioner charts a session on a tablet by tapping the face diagram."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from treatments.models import TreatmentSession

from ..factories import PASSWORD, BatchFactory
from .conftest import SCREENSHOTS, log_in
from .test_log_a_session import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET_LANDSCAPE = {"width": 1024, "height": 768}
TABLET_PORTRAIT = {"width": 768, "height": 1024}


@pytest.fixture
def tablet(browser, live_server):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport=TABLET_LANDSCAPE, base_url=live_server.url, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_practitioner_charts_two_zones_and_a_point_by_tapping(tablet, alice, harbour_patient, harbour):
    page = tablet
    BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/new/?patient={harbour_patient.pk}")

    page.get_by_label("Face", exact=True).check()
    choose(page, "#id_products-0-batch", "hydra", "lot HB-001")
    page.locator("#id_products-0-volume_ml").fill("0.5")
    face = page.locator('.chart-diagram[data-diagram="face_front"]')
    expect(face).to_be_visible()
    expect(page.locator('.chart-diagram[data-diagram="scalp"]')).to_be_hidden()

    face.locator('[data-zone="lips"]').tap()
    face.locator('[data-zone="chin"]').tap()
    expect(page.get_by_label("Lips", exact=True)).to_be_checked()
    expect(page.get_by_label("Chin", exact=True)).to_be_checked()
    expect(face.locator('[data-zone="lips"]')).to_have_class("chart-zone treated")

    page.get_by_text("Points", exact=True).tap()
    expect(page.locator("#chart-product")).to_contain_text("Hydra Boost")
    page.get_by_label("Volume at the point (mL)").fill("0.5")
    face.locator('[data-zone="lips"]').tap()
    expect(page.locator("#chart-point-list")).to_contain_text("Lips (Face, from the front): 0.50 mL of Product 1")
    expect(face.locator("circle.chart-point")).to_have_count(1)
    for name, viewport in (("landscape", TABLET_LANDSCAPE), ("portrait", TABLET_PORTRAIT)):
        page.set_viewport_size(viewport)
        for zone in face.locator(".chart-zone").all():
            box = zone.bounding_box()
            assert min(box["width"], box["height"]) >= 44, f"{zone.get_attribute('data-zone')} too small in {name}"
        for control in page.locator(
            ".chart-modes label, #chart-product, #chart-volume, .chart-point-list button"
        ).all():
            assert control.bounding_box()["height"] >= 44
        for choice in page.locator(".chart-zone-choice:visible").all():
            assert choice.bounding_box()["height"] >= 44
        page.screenshot(path=SCREENSHOTS / f"session-chart-tablet-{name}.png", full_page=True)

    page.get_by_role("button", name="Save the session").tap()

    expect(page.get_by_text("Session recorded.")).to_be_visible()
    session = TreatmentSession.objects.get()
    assert sorted(session.zones.values_list("zone", flat=True)) == ["chin", "lips"]
    point = session.injection_points.get()
    assert (point.diagram, point.zone, point.volume_ml) == ("face_front", "lips", Decimal("0.5"))
    assert point.product_use == session.products_used.get()
    assert 0.4 < point.x < 0.6
    assert 0.6 < point.y < 0.7
