"""Scanning a box with the camera (Chromium's fake camera playing a GS1 DataMatrix) or a handheld
scanner (keystrokes and Enter), in the session form and on the receiving page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from treatments.models import Batch

from ..barcodes import gs1_datamatrix, y4m
from ..factories import PASSWORD, BatchFactory, PatientFactory, ProductFactory
from .conftest import CHROMIUM_ARGS, DESKTOP, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GTIN = "09506000134352"
# A box that expires in a year's time, whenever the test runs.
EXPIRY = timezone.localdate().replace(day=1) + timedelta(days=400)
BOX = f"(01){GTIN}(17){EXPIRY:%y%m%d}(10)HB2401"


@pytest.fixture
def camera_page(browser, chromium_path, live_server, tmp_path):
    """A browser whose camera films a product's box: a GS1 DataMatrix with its GTIN, expiry and lot."""
    video = y4m(gs1_datamatrix(BOX), tmp_path / "box.y4m")
    camera = browser.browser_type.launch(
        executable_path=chromium_path,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = camera.new_context(viewport=DESKTOP, base_url=live_server.url, permissions=["camera"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    camera.close()


@pytest.fixture
def stock(harbour):
    product = ProductFactory(clinic=harbour, name="Hydra Boost", gtin=GTIN)
    return BatchFactory(product=product, lot_number="HB2401", expiry_date=EXPIRY)


def test_the_camera_fills_the_product_row_from_the_boxs_datamatrix(camera_page, alice, harbour, stock):
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    page = camera_page
    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/new/?patient={patient.pk}")

    row = page.locator("#product-rows .product-row").first
    row.get_by_role("button", name="Scan", exact=True).click()

    expect(row.locator(".scan-feedback")).to_have_text(f"Hydra Boost, lot HB2401, expires {EXPIRY:%d %b %Y}.")
    expect(row.locator("select")).to_have_value(str(stock.pk))
    expect(row.locator(".ts-control")).to_contain_text("Hydra Boost – lot HB2401")
    expect(row.locator("video")).to_have_count(0)
    page.screenshot(path=SCREENSHOTS / "scan-session-row.png", full_page=True)


def test_a_handheld_scanner_types_the_code_and_enter_fills_the_row_not_the_form(page, alice, harbour, stock):
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/new/?patient={patient.pk}")
    row = page.locator("#product-rows .product-row").first

    # The DataMatrix's symbology identifier, then GTIN, expiry and lot, as the scanner types them.
    row.get_by_placeholder("Scan the box, or type its code").fill(f"]d201{GTIN}17{EXPIRY:%y%m%d}10HB2401")
    row.get_by_placeholder("Scan the box, or type its code").press("Enter")

    expect(row.locator("select")).to_have_value(str(stock.pk))
    assert page.url.endswith(f"/sessions/new/?patient={patient.pk}")


def test_a_manager_receives_a_delivery_with_the_camera(camera_page, mary, harbour):
    ProductFactory(clinic=harbour, name="Hydra Boost", gtin=GTIN)
    page = camera_page
    log_in(page, "mary", PASSWORD)
    page.goto("/batches/receive/")
    page.get_by_label("Supplier").fill("Dermalab UK")

    page.get_by_role("button", name="Scan", exact=True).click()
    expect(page.get_by_test_id("lot-read")).to_have_text("HB2401")
    expect(page.get_by_test_id("expiry-read")).to_have_text(f"{EXPIRY:%d %b %Y}")
    page.get_by_role("button", name="Yes: take lot HB2401 into stock").click()

    expect(page.get_by_role("alert").filter(has_text="Hydra Boost lot HB2401 received.")).to_be_visible()
    expect(page.get_by_test_id("received")).to_have_count(1)
    page.screenshot(path=SCREENSHOTS / "scan-receive.png", full_page=True)
    batch = Batch.objects.get()
    assert (batch.lot_number, batch.expiry_date, batch.supplier) == ("HB2401", EXPIRY, "Dermalab UK")


def test_a_handheld_scanners_enter_on_the_receiving_page_takes_nothing_into_stock_until_confirmed(page, mary, harbour):
    ProductFactory(clinic=harbour, name="Hydra Boost", gtin=GTIN)
    log_in(page, "mary", PASSWORD)
    page.goto("/batches/receive/")

    # T2: the scan was cut short inside the lot; the scanner's Enter sends it.
    page.get_by_label("Scan a box, or type its code").fill(f"]d201{GTIN}17{EXPIRY:%y%m%d}10HB24")
    page.get_by_label("Scan a box, or type its code").press("Enter")
    expect(page.get_by_test_id("lot-read")).to_have_text("HB24")
    # The next box's scan, typed into a page waiting for the answer, presses nothing.
    page.keyboard.type(f"]d201{GTIN}17{EXPIRY:%y%m%d}10HB2402")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("lot-read")).to_have_text("HB24")
    assert not Batch.objects.exists()
    page.get_by_role("link", name="No: scan it again").click()
    expect(page.get_by_label("Scan a box, or type its code")).to_be_focused()
    assert not Batch.objects.exists()
