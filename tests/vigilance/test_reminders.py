"""A serious event neither reported nor judged not reportable by its deadline: the clinic's managers
are told, once, by the hourly sweep, on the clinic's calendar."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import mail

from clinic.celery import app as celery_app
from recovery.models import Notification, NotificationKind
from recovery.notification_words import notification_words
from vigilance import tasks
from vigilance.models import ReportReminder
from vigilance.services import not_reportable_judge, submission_record

from .conftest import LONDON, PARIS

# Confirmed on 3 March at noon in London: fifteen days are 3 to 17 March; late from midnight on the 18th.
CONFIRMED_AT = datetime(2026, 3, 3, 12, tzinfo=LONDON)
LATE_AT = datetime(2026, 3, 18, tzinfo=LONDON)


def sweep(time_machine, when) -> int:
    time_machine.move_to(when, tick=False)
    return tasks.remind_late_reports.delay().get()


def told():
    return list(Notification.objects.filter(kind=NotificationKind.REPORT_LATE).order_by("recipient__username"))


def test_the_managers_are_told_once_when_the_deadline_passes(session, confirm, mary, grace, alice, time_machine):
    event = confirm(session, CONFIRMED_AT)

    assert sweep(time_machine, LATE_AT - timedelta(seconds=1)) == 0
    assert told() == []

    assert sweep(time_machine, LATE_AT + timedelta(minutes=20)) == 1
    assert [n.recipient for n in told()] == [grace, mary]
    assert ReportReminder.objects.get().complication == event
    assert notification_words(told()[0]) == (
        "Hannah Harbour: the serious event (Infection) confirmed on 3 March 2026 is neither reported nor judged "
        "not reportable; it was due by 17 March 2026"
    )

    assert sweep(time_machine, LATE_AT + timedelta(hours=1, minutes=20)) == 0
    assert sweep(time_machine, LATE_AT + timedelta(days=20)) == 0
    assert len(told()) == 2


def test_the_managers_are_emailed_as_for_other_notifications(
    session, confirm, mary, time_machine, django_capture_on_commit_callbacks
):
    confirm(session, CONFIRMED_AT)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sweep(time_machine, LATE_AT + timedelta(minutes=5))

    assert [message.to for message in mail.outbox] == [["mary@example.com"]]
    assert "Hannah" not in mail.outbox[0].body


def test_an_event_reported_in_time_is_never_a_reminder(session, confirm, mary, time_machine):
    event = confirm(session, CONFIRMED_AT)
    time_machine.move_to(datetime(2026, 3, 10, 9, tzinfo=LONDON), tick=False)
    submission_record(complication=event, recipient="mhra", sent_on=date(2026, 3, 10), recorded_by=mary)

    assert sweep(time_machine, LATE_AT + timedelta(days=1)) == 0
    assert told() == []
    assert not ReportReminder.objects.exists()


def test_an_event_judged_not_reportable_is_never_a_reminder(session, confirm, mary, time_machine):
    event = confirm(session, CONFIRMED_AT)
    not_reportable_judge(complication=event, reason="Labelled and resolved", judged_by=mary)

    assert sweep(time_machine, LATE_AT + timedelta(days=1)) == 0
    assert told() == []


def test_a_complication_that_is_not_serious_is_never_a_reminder(session, confirm, mary, time_machine):
    confirm(session, CONFIRMED_AT, grade=2, seriousness=())

    assert sweep(time_machine, LATE_AT + timedelta(days=30)) == 0


def test_in_france_the_reminder_comes_the_next_day(paris_session, confirm, time_machine):
    confirm(paris_session, datetime(2026, 3, 3, 16, tzinfo=PARIS))

    assert sweep(time_machine, datetime(2026, 3, 3, 23, 59, tzinfo=PARIS)) == 0
    assert sweep(time_machine, datetime(2026, 3, 4, 0, 30, tzinfo=PARIS)) == 1
    assert [n.recipient.username for n in told()] == ["margaux"]


def test_a_life_threatening_event_is_due_in_ten_days(session, confirm, mary, time_machine):
    confirm(session, CONFIRMED_AT, grade=4, seriousness=("serious_life_threatening",))

    assert sweep(time_machine, datetime(2026, 3, 12, 23, 59, tzinfo=LONDON)) == 0
    assert sweep(time_machine, datetime(2026, 3, 13, 0, 30, tzinfo=LONDON)) == 1


def test_the_clinics_own_delay_comes_before_the_countrys(harbour, session, confirm, mary, time_machine):
    harbour.report_within_days = 3
    harbour.save(update_fields=["report_within_days"])
    confirm(session, CONFIRMED_AT)

    assert sweep(time_machine, datetime(2026, 3, 5, 23, 59, tzinfo=LONDON)) == 0
    assert sweep(time_machine, datetime(2026, 3, 6, 0, 30, tzinfo=LONDON)) == 1


def test_the_sweep_runs_every_hour():
    schedule = settings.CELERY_BEAT_SCHEDULE["remind-late-reports"]

    assert schedule["schedule"] == 60 * 60.0
    assert schedule["task"] in celery_app.tasks
