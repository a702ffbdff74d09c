"""By when a serious event is reported or judged not reportable: the one rule the list of reportable
events and the reminder both read.

Day 0 is the day the complication was confirmed, on its clinic's calendar. A delay of N days gives
the days 0 to N - 1: in France, where a serious incident is declared « sans délai », that is the day
itself, and the reminder comes the next morning. The event is late from the clinic's midnight that
ends its last day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clinics.models import Clinic
from recovery.models import Complication

# A clinic that sets no delay follows its country's rule; these are the regulators' own.
COUNTRY_DAYS = {"FR": 1}
DEFAULT_DAYS = 15
# A death or a life-threatening event is reported sooner than other serious events (MHRA, FDA).
GRAVEST_DAYS = 10


def report_within_days(*, clinic: Clinic, complication: Complication) -> int:
    if clinic.report_within_days:
        return clinic.report_within_days
    if clinic.country in COUNTRY_DAYS:
        return COUNTRY_DAYS[clinic.country]
    if complication.serious_death or complication.serious_life_threatening:
        return GRAVEST_DAYS
    return DEFAULT_DAYS


@dataclass(frozen=True)
class Deadline:
    day_zero: date
    last_day: date
    late_at: datetime

    def days_left(self, today: date) -> int:
        """Days until the last day: 0 on the day itself, negative once late."""
        return (self.last_day - today).days

    def words(self, today: date) -> str:
        left = self.days_left(today)
        if left > 0:
            return ngettext("due in %(count)s day", "due in %(count)s days", left) % {"count": left}
        if left == 0:
            return _("due today")
        return ngettext("%(count)s day late", "%(count)s days late", -left) % {"count": -left}


def deadline_of(*, clinic: Clinic, complication: Complication) -> Deadline:
    day_zero = timezone.localtime(complication.recorded_at, clinic.zone).date()
    days = report_within_days(clinic=clinic, complication=complication)
    late_on = day_zero + timedelta(days=days)
    return Deadline(
        day_zero=day_zero,
        last_day=late_on - timedelta(days=1),
        late_at=datetime.combine(late_on, time.min).replace(tzinfo=clinic.zone),
    )
