"""By when a serious event is reported: day 0 is the day it was confirmed on the clinic's calendar;
the clinic's own delay, or its country's rule: the day itself in France (« sans délai »), elsewhere 15
days, 10 for a death or a life-threatening event."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from clinics.models import Clinic
from recovery.models import Complication
from vigilance.deadlines import deadline_of, report_within_days

UTC = ZoneInfo("UTC")


def clinic(country="GB", zone="Europe/London", days=None) -> Clinic:
    return Clinic(name="A clinic", country=country, time_zone=zone, report_within_days=days)


def event(recorded_at=datetime(2026, 3, 3, 12, tzinfo=UTC), **seriousness) -> Complication:
    return Complication(recorded_at=recorded_at, **({"serious_hospitalisation": True} | seriousness))


@pytest.mark.parametrize(
    ("where", "seriousness", "days"),
    [
        (clinic(), {}, 15),
        (clinic(), {"serious_life_threatening": True}, 10),
        (clinic(), {"serious_death": True}, 10),
        (clinic(country="US", zone="America/New_York"), {}, 15),
        (clinic(country="FR", zone="Europe/Paris"), {}, 1),
        (clinic(country="FR", zone="Europe/Paris"), {"serious_death": True}, 1),
        (clinic(days=5), {"serious_life_threatening": True}, 5),
        (clinic(country="FR", zone="Europe/Paris", days=3), {}, 3),
    ],
)
def test_the_delay_is_the_clinics_setting_or_its_countrys_rule(where, seriousness, days):
    assert report_within_days(clinic=where, complication=event(**seriousness)) == days


def test_fifteen_days_run_from_day_0_to_day_14_and_the_event_is_late_from_the_midnight_after():
    deadline = deadline_of(clinic=clinic(), complication=event())

    assert (deadline.day_zero, deadline.last_day) == (date(2026, 3, 3), date(2026, 3, 17))
    assert deadline.late_at == datetime(2026, 3, 18, tzinfo=ZoneInfo("Europe/London"))
    assert deadline.words(date(2026, 3, 3)) == "due in 14 days"
    assert deadline.words(date(2026, 3, 14)) == "due in 3 days"
    assert deadline.words(date(2026, 3, 16)) == "due in 1 day"
    assert deadline.words(date(2026, 3, 17)) == "due today"
    assert deadline.words(date(2026, 3, 18)) == "1 day late"
    assert deadline.words(date(2026, 3, 19)) == "2 days late"


def test_in_france_the_event_is_due_the_day_it_is_confirmed_and_late_the_next():
    deadline = deadline_of(clinic=clinic(country="FR", zone="Europe/Paris"), complication=event())

    assert deadline.words(date(2026, 3, 3)) == "due today"
    assert deadline.words(date(2026, 3, 4)) == "1 day late"
    assert deadline.late_at == datetime(2026, 3, 4, tzinfo=ZoneInfo("Europe/Paris"))


def test_day_0_is_the_clinics_day_not_the_servers():
    # 23:30 in London on 3 March is already 4 March in Sydney.
    late_evening = event(recorded_at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC))

    assert deadline_of(clinic=clinic(), complication=late_evening).day_zero == date(2026, 3, 3)
    assert deadline_of(clinic=clinic(country="AU", zone="Australia/Sydney"), complication=late_evening).day_zero == (
        date(2026, 3, 4)
    )
