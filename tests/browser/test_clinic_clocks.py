"""A manager of a London clinic and a Sydney clinic reads each clinic's times on its own clock."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinics.models import Membership, Role
from recovery.models import Notification, Recovery

from ..factories import PASSWORD, ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory
from .conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_of_two_zones_reads_each_clinics_own_time_with_its_zone_named(page, grace, harbour):
    # Named to come after Harbour: her first clinic, whose clock each request runs on, is London's.
    sydney = ClinicFactory(name="Sydney Skin", country="AU", time_zone="Australia/Sydney")
    Membership.objects.create(user=grace, clinic=sydney, role=Role.MANAGER)
    now = timezone.now()
    sessions = {}
    for clinic, name in ((harbour, "Londoner"), (sydney, "Bondi")):
        performed_at = (now - timedelta(days=1)).astimezone(clinic.zone).replace(hour=10, minute=0).astimezone(UTC)
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic, last_name=name),
            practitioner=MembershipFactory(clinic=clinic).user,
            performed_at=performed_at,
        )
        Recovery.objects.filter(pk=session.pk).update(attention_at=performed_at, unacknowledged_at=performed_at)
        Notification.objects.create(
            recipient=grace,
            recovery_id=session.pk,
            kind="needs_attention",
            event_key=f"test:{name}",
        )
        sessions[name] = session

    log_in(page, "grace", PASSWORD)
    page.goto("/")
    bondi = page.locator("tr", has_text="Bondi").first
    londoner = page.locator("tr", has_text="Londoner").first
    expect(bondi).to_contain_text("10:00")
    expect(bondi.get_by_test_id("zone")).to_have_text("Australia/Sydney")
    expect(londoner).to_contain_text("10:00")
    expect(londoner.get_by_test_id("zone")).to_have_text("Europe/London")
    expect(page.get_by_text("updated")).to_contain_text("Europe/London, ")
    expect(page.get_by_text("updated")).to_contain_text(" Australia/Sydney")
    page.screenshot(path=SCREENSHOTS / "dashboard-two-zones.png", full_page=True)

    page.goto("/notifications/")
    for name in ("Bondi", "Londoner"):
        created = Notification.objects.get(event_key=f"test:{name}").created_at
        zone = sessions[name].clinic.zone
        expect(page.get_by_text(f"{name} needs attention").locator("..")).to_contain_text(
            f"{created.astimezone(zone):%H:%M} {zone.key}"
        )

    bondi = sessions["Bondi"]
    page.goto(bondi.get_absolute_url())
    header = page.locator(".page-header")
    expect(header).to_contain_text(", 10:00")
    expect(header.get_by_test_id("zone")).to_have_text("Australia/Sydney")
    expect(page.locator("dt:has-text('Recorded by') + dd")).to_contain_text(
        f"{bondi.created_at.astimezone(sydney.zone):%H:%M}"
    )
