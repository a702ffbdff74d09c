"""Scanning a box with the camera (Chromium's fake camera playing a GS1 DataMatrix) or a handheld
scanner (keystrokes and Enter), in the session form and on the receiving page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from treatments import services
from treatments.models import Batch

from ..barcodes import code39, gs1_datamatrix, hibc, y4m
from ..factories import PASSWORD, BatchFactory, PatientFactory, ProductFactory
from .conftest import CHROMIUM_ARGS, DESKTOP, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GTIN = "09506000134352"
# A box that expires in a year's time, whenever the test runs.
EXPIRY = timezone.localdate().replace(day=1) + timedelta(days=400)
BOX = f"(01){GTIN}(17){EXPIRY:%y%m%d}(10)HB2401"


@pytest.fixture
def camera(browser, chromium_path, live_server, tmp_path):
    """A browser whose camera films the barcode of a box, as each test draws it."""
    opened = []

    def film(picture) -> Page:
        video = y4m(picture, tmp_path / "box.y4m")
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
        opened.append((context, camera))
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield film
    for context, camera in opened:
        context.close()
        camera.close()


@pytest.fixture
def camera_page(camera):
    """A browser whose camera films a product's box: a GS1 DataMatrix with its GTIN, expiry and lot."""
    return camera(gs1_datamatrix(BOX))


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

    expiry = date_format(EXPIRY, "j N Y")
    expect(row.locator(".scan-feedback")).to_have_text(f"Hydra Boost, lot HB2401, expires {expiry}.")
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
    expect(page.get_by_test_id("expiry-read")).to_have_text(date_format(EXPIRY, "j N Y"))
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


def test_the_camera_reads_a_lot_with_brackets_whole(camera, mary, harbour):
    # B8: the lot AB(1), then the serial S7. Read as bracketed text, the lot came out as AB.
    ProductFactory(clinic=harbour, name="Hydra Boost", gtin=GTIN)
    page = camera(gs1_datamatrix(f"(01){GTIN}(17){EXPIRY:%y%m%d}(10)AB\\(1\\)(21)S7"))
    log_in(page, "mary", PASSWORD)
    page.goto("/batches/receive/")

    page.get_by_role("button", name="Scan", exact=True).click()
    expect(page.get_by_test_id("lot-read")).to_have_text("AB(1)")
    page.get_by_role("button", name="Yes: take lot AB(1) into stock").click()

    expect(page.get_by_role("alert").filter(has_text="Hydra Boost lot AB(1) received.")).to_be_visible()
    assert Batch.objects.get().lot_number == "AB(1)"


def type_separator_by_ctrl_bracket(page):
    page.keyboard.press("Control+BracketRight")


def type_separator_by_alt_029(page):
    page.keyboard.down("Alt")
    for key in ["Numpad0", "Numpad2", "Numpad9"]:
        page.keyboard.press(key)
    page.keyboard.up("Alt")


@pytest.mark.parametrize(
    "separator", [type_separator_by_ctrl_bracket, type_separator_by_alt_029], ids=["Ctrl+]", "Alt+029"]
)
def test_the_separator_a_handheld_scanner_types_as_keys_ends_the_lot(page, alice, harbour, stock, separator):
    # The box's order is GTIN, lot, expiry, serial: without the separator the lot would run on.
    patient = PatientFactory(clinic=harbour, first_name="Hannah", last_name="Harbour")
    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/new/?patient={patient.pk}")
    row = page.locator("#product-rows .product-row").first
    row.get_by_placeholder("Scan the box, or type its code").click()

    page.keyboard.type(f"]d201{GTIN}10HB2401")
    separator(page)
    page.keyboard.type(f"17{EXPIRY:%y%m%d}21SN0007")
    page.keyboard.press("Enter")

    expect(row.locator("select")).to_have_value(str(stock.pk))
    typed = row.get_by_placeholder("Scan the box, or type its code").input_value()
    assert typed == f"]d201{GTIN}10HB2401\x1d17{EXPIRY:%y%m%d}21SN0007"


def test_the_camera_reads_an_hibc_code_printed_as_code_39(camera, mary, harbour):
    # H1-H6: HIBC boxes often carry Code 39 only; the camera used to keep looking.
    ProductFactory(clinic=harbour, name="Soft cannula 25G", hibc="A99912345")
    page = camera(code39(hibc(f"+A99912345/$$3{EXPIRY:%y%m%d}HB2401")))
    log_in(page, "mary", PASSWORD)
    page.goto("/batches/receive/")

    page.get_by_role("button", name="Scan", exact=True).click()
    expect(page.get_by_test_id("lot-read")).to_have_text("HB2401")
    page.get_by_role("button", name="Yes: take lot HB2401 into stock").click()

    expect(page.get_by_role("alert").filter(has_text="Soft cannula 25G lot HB2401 received.")).to_be_visible()
    batch = Batch.objects.get()
    assert (batch.product.name, batch.lot_number, batch.expiry_date) == ("Soft cannula 25G", "HB2401", EXPIRY)


def test_the_camera_reads_code_39_as_hibc_writes_it_not_as_full_ascii(camera, mary, harbour):
    # In full ASCII Code 39, "+A" is "a": the product-only code +A999123457 would read as a999123457.
    ProductFactory(clinic=harbour, name="Soft cannula 25G", hibc="A99912345")
    page = camera(code39(hibc("+A99912345")))
    log_in(page, "mary", PASSWORD)
    page.goto("/batches/receive/")

    page.get_by_role("button", name="Scan", exact=True).click()

    expect(page.get_by_label("Scan a box, or type its code")).to_have_value("]A1+A999123457")
    expect(page.get_by_text(str(services.NO_LOT_IN_CODE))).to_be_visible()
    assert not Batch.objects.exists()
