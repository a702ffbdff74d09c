"""What the database decides (statuses in SQL, the chart's days) agrees with the rules across a clock
change, on PostgreSQL in CI as on SQLite: the moments are stored instants, the days are the clinic's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from recovery import services
from recovery.dashboard_selectors import status_by_day
from recovery.models import Recovery
from recovery.rules import Severity
from recovery.services import ReactionEntry

from ..factories import ClinicFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Australia/Sydney"])
def test_the_databases_status_is_the_rules_status_at_each_edge_across_the_change(zone, time_machine):
    clinic = ClinicFactory(name=f"Clinic in {zone}", time_zone=zone)
    day_before_change = {"Europe/Paris": datetime(2026, 3, 28, 10), "America/New_York": datetime(2026, 3, 7, 10)}
    session_at = timezone.make_aware(day_before_change.get(zone, datetime(2026, 10, 3, 10)), clinic.zone)
    time_machine.move_to(session_at.astimezone(UTC) + timedelta(hours=30), tick=False)
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=clinic),
        practitioner=MembershipFactory(clinic=clinic).user,
        performed_at=session_at,
    )
    bruising = clinic.reaction_types.get(code="bruising")
    services.report_create(
        session=session,
        reported_at=timezone.now(),
        reactions=[ReactionEntry(reaction_type=bruising, severity=Severity.MILD)],
        red_flags_present=[],
        red_flags_asked=list(clinic.red_flag_questions.all()),
        wants_call=False,
        source="patient",
        recorded_by=None,
    )
    recovery = Recovery.objects.get(pk=session.pk)

    for moment in (recovery.overdue_at - timedelta(microseconds=1), recovery.overdue_at):
        in_python = recovery.status_at(moment)
        in_sql = Recovery.objects.with_status(moment).get(pk=session.pk).status
        assert in_sql == in_python, moment
    assert recovery.status_at(recovery.overdue_at) == "overdue"


def test_the_chart_counts_a_session_on_its_clinics_day_after_the_change_and_sydneys_today(db, time_machine):
    paris = ClinicFactory(name="Clinique du Marais", time_zone="Europe/Paris")
    sydney = ClinicFactory(name="Bondi Skin", time_zone="Australia/Sydney")
    # 00:30 on Sunday 29 March in Paris, just after the clocks went forward: 22:30 UTC the day before.
    paris_at = timezone.make_aware(datetime(2026, 3, 29, 0, 30), paris.zone)
    now = datetime(2026, 3, 29, 14, 0, tzinfo=UTC)  # already 30 March in Sydney
    sydney_at = now - timedelta(hours=1)
    time_machine.move_to(now, tick=False)
    for clinic, moment in ((paris, paris_at), (sydney, sydney_at)):
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=clinic),
            practitioner=MembershipFactory(clinic=clinic).user,
            performed_at=moment,
        )

    days = status_by_day(Recovery.objects.with_status(now), now=now, clinics=[paris, sydney], days=5)

    counted = {row["day"]: sum(row["counts"].values()) for row in days}
    assert counted[datetime(2026, 3, 29).date()] == 1
    assert counted[datetime(2026, 3, 30).date()] == 1
    assert datetime(2026, 3, 28).date() not in counted or counted[datetime(2026, 3, 28).date()] == 0
