import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recovery import services
from recovery.models import ReactionType
from recovery.rules import Severity
from treatments.models import TreatmentSession

from ..factories import PASSWORD, BatchFactory, PatientFactory, TreatmentSessionFactory
from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, select: str, typed: str, option: str) -> None:
    """Type into the type-ahead that stands for `select` and pick the option offered."""
    page.locator(f"{select}-ts-control").fill(typed)
    page.locator(f"{select}-ts-dropdown .option", has_text=option).click()


def test_practitioner_logs_a_session_and_sees_it_on_the_patients_page(
    page, screenshot, alice, harbour_patient, harbour
):
    fresh = BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    expired = BatchFactory(
        product=fresh.product,
        lot_number="HB-OLD",
        expiry_date=timezone.localdate() - timedelta(days=5),
        received_on=timezone.localdate() - timedelta(days=200),
    )

    log_in(page, "alice", PASSWORD)
    page.goto(harbour_patient.get_absolute_url())
    page.locator("main").get_by_role("link", name="Log a session").click()

    expect(page.locator("#id_session-patient")).to_have_value(str(harbour_patient.pk))
    page.get_by_label("Face", exact=True).check()
    page.get_by_label("Scalp", exact=True).check()
    page.locator("#id_session-technique").select_option(label="Papules")
    page.get_by_label("Volume (mL)").fill("2")
    page.get_by_label("No make-up for 24 hours").check()
    page.get_by_label("Notes").fill("First session, tolerated well.")
    page.get_by_role("button", name="Save the session").click()

    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("First session, tolerated well.")
    screenshot("session-form-error", DESKTOP)
    assert not TreatmentSession.objects.exists()

    # The chooser offers the batches that can be used today: the expired lot is not among them.
    page.get_by_role("combobox", name="Product batch").fill("HB")
    expect(page.locator(".ts-dropdown .option", has_text="lot HB-001")).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text=expired.lot_number)).to_have_count(0)
    screenshot("session-form-batch-chooser", DESKTOP)
    page.locator(".ts-dropdown .option", has_text="lot HB-001").click()
    page.get_by_role("button", name="Save the session").click()

    expect(page.get_by_text("Session recorded.")).to_be_visible()
    expect(page.get_by_text("session 1 of the series")).to_be_visible()
    screenshot("session-detail", DESKTOP)

    page.get_by_role("link", name="Patient record").click()
    expect(page.get_by_role("heading", name="Hannah Harbour")).to_be_visible()
    expect(page.get_by_text("Session 1 of the series")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Hydra Boost · lot HB-001 · 2\smL"))).to_be_visible()
    screenshot("patient-detail", DESKTOP)
    screenshot("patient-detail-phone", PHONE)

    session = TreatmentSession.objects.get()
    assert session.patient == harbour_patient
    assert sorted(session.areas.values_list("area", flat=True)) == ["face", "scalp"]


def test_added_product_row_is_saved_too(page, alice, harbour_patient, harbour):
    BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    BatchFactory(product__clinic=harbour, product__name="PN Repair", lot_number="PN-9")

    log_in(page, "alice", PASSWORD)
    page.goto(f"/sessions/new/?patient={harbour_patient.pk}")
    page.get_by_label("Neck", exact=True).check()
    choose(page, "#id_products-0-batch", "hydra", "lot HB-001")
    page.locator("#id_products-0-volume_ml").fill("1.5")
    page.get_by_role("button", name="Add another product").click()
    choose(page, "#id_products-1-batch", "repair", "lot PN-9")
    page.locator("#id_products-1-volume_ml").fill("1")
    page.get_by_role("button", name="Save the session").click()

    expect(page.get_by_text("Session recorded.")).to_be_visible()
    assert TreatmentSession.objects.get().products_used.count() == 2


def test_the_next_session_of_a_series_is_logged_from_the_patients_page_in_a_few_steps(
    page, screenshot, alice, harbour_patient, harbour
):
    batch = BatchFactory(product__clinic=harbour, product__name="Hydra Boost", lot_number="HB-001")
    previous = TreatmentSessionFactory(
        patient=harbour_patient,
        practitioner=alice,
        performed_at=timezone.now() - timedelta(days=14),
        areas=["face", "neck"],
        aftercare=["no_makeup_24h"],
        batches=[batch],
    )
    services.report_create(
        session=previous,
        reported_at=previous.performed_at + timedelta(hours=8),
        reactions=[services.ReactionEntry(ReactionType.objects.get(clinic=harbour, code="redness"), Severity.MODERATE)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=services.ReportSource.PATIENT,
    )
    log_in(page, "alice", PASSWORD)
    interactions = 0

    def act(locator_action):
        nonlocal interactions
        interactions += 1
        locator_action()

    page.goto(harbour_patient.get_absolute_url())
    expect(page.get_by_test_id("reaction-history")).to_contain_text("Moderate")
    screenshot("patient-reaction-history", DESKTOP)
    act(lambda: page.get_by_role("link", name="Log the next session").click())
    expect(page.get_by_test_id("previous-reactions")).to_contain_text("Redness: Moderate, still there at 8 h")
    expect(page.get_by_test_id("prefilled-from")).to_contain_text("Filled in from session 1 of the series")
    expect(page.get_by_label("Face", exact=True)).to_be_checked()
    expect(page.get_by_label("Neck", exact=True)).to_be_checked()
    screenshot("session-next-of-series", DESKTOP)
    act(lambda: page.get_by_role("button", name="Save the session").click())

    expect(page.get_by_text("Session recorded.")).to_be_visible()
    expect(page.get_by_text("session 2 of the series")).to_be_visible()
    assert interactions < 10
    logged = TreatmentSession.objects.exclude(pk=previous.pk).get()
    assert sorted(a.area for a in logged.areas.all()) == ["face", "neck"]
    assert [use.batch for use in logged.products_used.all()] == [batch]
    assert logged.aftercare == ["no_makeup_24h"]


def test_typing_a_name_and_pressing_enter_chooses_that_patient_among_many(page, alice, harbour_patient, harbour):
    PatientFactory.create_batch(25, clinic=harbour, last_name="Abbott")
    log_in(page, "alice", PASSWORD)
    page.goto("/sessions/new/")

    control = page.get_by_role("combobox", name="Patient")
    control.click()
    expect(page.locator("#id_session-patient-ts-dropdown .option").first).to_contain_text("Abbott")
    control.press_sequentially("hannah harb", delay=30)
    expect(page.locator("#id_session-patient-ts-dropdown .option")).to_have_count(1)
    control.press("Enter")

    expect(page.locator("#id_session-patient")).to_have_value(str(harbour_patient.pk))

    control.click()
    control.press_sequentially("nobody of that name", delay=10)
    expect(page.get_by_text("Nothing found: check the spelling")).to_be_visible()
