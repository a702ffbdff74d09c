"""Two sweeps at once, or a sweep while a manager records the report: told once, or not at all."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from recovery import complications
from recovery.models import Notification, NotificationKind
from vigilance import services
from vigilance.models import ReportReminder, Submission

from ..test_concurrency import postgresql, run_together  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def late_event(session, mary):
    """Hannah's infection, confirmed twenty days ago and reported to no one."""
    complication = complications.complication_record(
        recovery=session.recovery,
        complication_type="infection",
        grade=3,
        seriousness=["serious_hospitalisation"],
        recorded_by=session.practitioner,
        now=timezone.now() - timedelta(days=20),
    )
    return complication


def test_two_sweeps_at_once_tell_the_managers_once(postgresql, late_event):  # noqa: F811
    told = []
    run_together(2, lambda _index: told.append(services.late_reports_remind()))

    assert sorted(told) == [0, 1]
    assert ReportReminder.objects.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.REPORT_LATE).count() == 1


def test_a_report_recorded_during_the_sweep_is_told_of_or_not_never_half(postgresql, late_event, mary):  # noqa: F811
    def work(index):
        if index:
            services.late_reports_remind()
        else:
            services.submission_record(
                complication=late_event, recipient="mhra", sent_on=date.today(), recorded_by=mary
            )

    run_together(2, work)

    assert Submission.objects.count() == 1
    assert ReportReminder.objects.count() == Notification.objects.filter(kind=NotificationKind.REPORT_LATE).count()
