from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from clinics.models import Clinic, Membership, Role, User
from patients.models import Patient
from recovery.models import Recovery
from treatments.models import Batch, TreatmentSession


def seed():
    call_command("seed_demo", stdout=StringIO())


def counts():
    return (
        Clinic.objects.count(),
        User.objects.count(),
        Patient.objects.count(),
        Batch.objects.count(),
        TreatmentSession.objects.count(),
    )


def test_demo_has_two_clinics_one_manager_over_both_and_three_practitioners(db):
    seed()

    assert Clinic.objects.count() == 2
    manager = User.objects.get(username="manager")
    assert set(Membership.objects.filter(user=manager).values_list("role", flat=True)) == {Role.MANAGER}
    assert manager.clinics.count() == 2
    assert Membership.objects.filter(role=Role.PRACTITIONER).values("user").distinct().count() == 3


def test_demo_has_about_forty_patients_and_an_expired_batch(db):
    seed()

    assert Patient.objects.count() == 40
    assert Batch.objects.filter(expiry_date__lt=timezone.localdate()).exists()
    assert Batch.objects.filter(expiry_date__gte=timezone.localdate()).count() > 1


def test_demo_sessions_fall_in_the_last_three_weeks_and_use_unexpired_batches(db):
    seed()

    sessions = TreatmentSession.objects.all()
    assert sessions.count() == 60
    assert not sessions.filter(performed_at__lt=timezone.now() - timedelta(days=21)).exists()
    assert not sessions.filter(performed_at__gt=timezone.now()).exists()
    assert not sessions.filter(products_used__batch__expiry_date__lt=timezone.localdate()).exists()


def test_demo_logins_work_with_the_printed_password(client, db):
    seed()

    response = client.post("/accounts/login/", {"username": "nurse.alice", "password": "recovery-demo"})

    assert response.status_code == 302


def test_seeding_twice_changes_nothing(db):
    seed()
    before = counts()

    seed()

    assert counts() == before


def test_demo_recoveries_show_every_status(db):
    seed()

    statuses = set(Recovery.objects.with_status().values_list("status", flat=True))

    assert statuses == {"needs_attention", "overdue", "on_track", "resolved"}


@pytest.mark.parametrize("command", ["seed_demo", "seed_scale"])
@pytest.mark.django_db
def test_made_up_patients_are_refused_where_texts_really_leave(command, settings):
    settings.TEXT_MESSAGE_BACKEND = "recovery.text_messages.TelnyxBackend"

    with pytest.raises(CommandError, match="made-up patients would text real people"):
        call_command(command)

    assert not Patient.objects.exists()
