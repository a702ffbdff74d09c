"""A report carries its session's clinic, so that a clinic's recent reports are read from an index of
its own (the batch alert) on a host of many clinics."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from recovery import services
from recovery.models import ReactionReport

from ..factories import TreatmentSessionFactory

BEFORE = ("recovery", "0042_fill_zone_tallies")
CARRIED = ("recovery", "0043_report_clinic")


def yesterdays_session(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, performed_at=timezone.now() - timedelta(days=1)
    )


def staff_report(session, user):
    return services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=6),
        reactions=[],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=True,
        source=services.ReportSource.STAFF,
        recorded_by=user,
    )


def test_a_report_carries_its_sessions_clinic(harbour_patient, alice):
    session = yesterdays_session(harbour_patient, alice)

    report = staff_report(session, alice)

    assert ReactionReport.objects.get(pk=report.pk).clinic_id == session.clinic_id == harbour_patient.clinic_id


@pytest.mark.django_db(transaction=True)
def test_reports_stored_before_the_clinic_was_carried_take_their_sessions_clinic(harbour_patient, alice):
    session = yesterdays_session(harbour_patient, alice)
    report = staff_report(session, alice)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])

    executor.loader.build_graph()
    executor.migrate([CARRIED])

    assert ReactionReport.objects.get(pk=report.pk).clinic_id == session.clinic_id
    assert set(report.history.values_list("clinic_id", flat=True)) == {session.clinic_id}
