"""A manager registers a webhook endpoint from the clinic settings and is shown its signing secret."""

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services as events
from events.models import EventKind
from webhooks import services
from webhooks.models import Attempt, AttemptError, Delivery, DeliveryState, Endpoint

from ..factories import PASSWORD
from .conftest import DESKTOP, PHONE, log_in
from .test_accessibility import Findings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_registers_an_endpoint_and_sees_its_secret(page, screenshot, mary, harbour):
    findings = Findings()
    log_in(page, "mary", PASSWORD)

    page.goto("/clinics/")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks of Harbour Skin Clinic")).to_be_visible()
    findings.check(page, "the clinic's webhooks")
    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("Address").fill("http://hooks.example.org/recovery-desk")
    page.get_by_label("A recovery needs attention").check()
    page.get_by_label("A complication is confirmed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The address must start with https://")).to_be_visible()
    findings.check(page, "the endpoint form, refused")
    screenshot("webhook-address-refused", DESKTOP)

    page.get_by_label("Address").fill("https://hooks.example.org/recovery-desk")
    page.get_by_role("button", name="Save").click()

    endpoint = Endpoint.objects.get()
    expect(page.get_by_test_id("signing-secret")).to_have_text(endpoint.secret)
    assert endpoint.secret.startswith("whsec_")
    expect(page.get_by_text("A recovery needs attention, A complication is confirmed")).to_be_visible()
    findings.check(page, "the endpoint's page")
    screenshot("webhook-endpoint", DESKTOP)
    screenshot("webhook-endpoint-phone", PHONE)
    findings.assert_none()


def test_a_manager_reads_a_delivery_with_its_attempts_and_sends_it_again(page, screenshot, mary, harbour, live_server):
    findings = Findings()
    endpoint = services.endpoint_create(
        clinic=harbour, url="https://hooks.clinic.invalid/recovery-desk", kinds=[EventKind.BATCH_QUARANTINED], by=mary
    )
    event = events.batch_quarantined(
        clinic_id=harbour.pk, batch_id=uuid.uuid4(), product_id=uuid.uuid4(), at=timezone.now()
    )
    event.save()
    delivery = Delivery.objects.create(
        event=event,
        endpoint=endpoint,
        body=services.payload_body(event),
        state=DeliveryState.GIVEN_UP,
        attempts=2,
        retry_until=timezone.now(),
    )
    Attempt.objects.create(delivery=delivery, at=timezone.now(), status_code=503, answer="Service Unavailable")
    Attempt.objects.create(delivery=delivery, at=timezone.now(), error=AttemptError.TIMEOUT)
    log_in(page, "mary", PASSWORD)

    page.goto(endpoint.get_absolute_url())
    page.get_by_role("link", name="A batch is quarantined").click()
    expect(page.get_by_test_id("attempt-row")).to_have_count(2)
    expect(page.get_by_text("No answer in time")).to_be_visible()
    findings.check(page, "a delivery's page")
    screenshot("webhook-delivery", DESKTOP)
    page.get_by_role("button", name="Send again").click()

    expect(page.get_by_test_id("attempt-row")).to_have_count(3)
    delivery.refresh_from_db()
    assert delivery.resent_by == mary
    findings.assert_none()
