"""A clinic's time zone is chosen, never defaulted: the country suggests it, managers see and change
it, its planned check-ins follow it, and a clinic left on UTC is pointed out."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clinics.models import Clinic
from recovery import schedule
from recovery.models import CheckIn

from ..factories import ClinicFactory, PatientFactory, TreatmentSessionFactory

ADMIN_ADD = reverse("admin:clinics_clinic_add")


def admin_post(**fields):
    return {
        "name": "Seaside Skin",
        "phone": "+1 212 555 0100",
        "country": "US",
        "language": "en-gb",
        "check_in_days": "[1, 2, 4, 7, 14]",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_clinic_created_in_the_admin_has_no_zone_chosen_for_it(client_for, admin_user):
    page = client_for(admin_user).get(ADMIN_ADD).content.decode()

    assert '<option value="" selected>' in page
    assert '<option value="UTC" selected>' not in page


def test_a_country_of_several_zones_must_be_told_which(client_for, admin_user):
    response = client_for(admin_user).post(ADMIN_ADD, admin_post())

    assert response.status_code == 200
    assert "This country has several time zones" in response.content.decode()
    assert not Clinic.objects.filter(name="Seaside Skin").exists()


def test_a_country_of_one_zone_gives_the_clinic_its_zone_and_emergency_number(client_for, admin_user):
    client_for(admin_user).post(ADMIN_ADD, admin_post(country="FR", phone="+33 1 44 55 66 77"))

    clinic = Clinic.objects.get(name="Seaside Skin")
    assert (clinic.time_zone, clinic.emergency_phone, clinic.emergency_phone_other) == ("Europe/Paris", "15", "112")


def test_a_chosen_zone_is_kept(client_for, admin_user):
    client_for(admin_user).post(ADMIN_ADD, admin_post(time_zone="America/New_York"))

    assert Clinic.objects.get(name="Seaside Skin").time_zone == "America/New_York"


def test_managers_see_and_change_the_zone_and_planned_check_ins_keep_their_local_hour(
    client_for, mary, harbour, alice, time_machine
):
    session_at = timezone.make_aware(datetime(2026, 6, 1, 10, 0), harbour.zone)
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(minutes=5), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=session_at
    )
    schedule.check_ins_plan(session=session)
    client = client_for(mary)
    assert "Europe/London" in client.get(reverse("recovery:clinic_settings_edit", args=[harbour.pk])).content.decode()

    response = client.post(
        reverse("recovery:clinic_settings_edit", args=[harbour.pk]),
        {
            "phone": harbour.phone,
            "country": "GB",
            "time_zone": "Europe/Paris",
            "emergency_phone": "999",
            "language": "en-gb",
            "check_in_days": "1, 2, 4, 7, 14",
        },
    )

    assert response.status_code == 302
    harbour.refresh_from_db()
    assert harbour.time_zone == "Europe/Paris"
    local = [c.due_at.astimezone(harbour.zone) for c in CheckIn.objects.filter(session=session).order_by("due_at")]
    assert {(moment.hour, moment.minute) for moment in local} == {(10, 0)}


def test_a_practitioner_cannot_change_the_zone(client_for, alice, harbour):
    response = client_for(alice).post(
        reverse("recovery:clinic_settings_edit", args=[harbour.pk]), {"time_zone": "Asia/Tokyo"}
    )

    assert response.status_code == 403
    harbour.refresh_from_db()
    assert harbour.time_zone == "Europe/London"


@pytest.mark.django_db
def test_a_clinic_left_on_utc_is_pointed_out_by_the_system_check(capsys):
    ClinicFactory(name="Old Town Clinic", time_zone="UTC")

    call_command("check")

    captured = capsys.readouterr()
    assert "clinics.W006" in captured.err + captured.out
    assert "Old Town Clinic" in captured.err + captured.out
