"""What the recovery rules find: a reason, at a level, holding from a moment. Shared by the rules'
modules (recovery.rules, recovery.silence); pure, like them."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext_lazy

# Datetimes in Python and in the database resolve to the microsecond, so the first
# instant strictly after a deadline is one microsecond past it. The brief's windows
# end *after* their time: "fades by 48 h" is overdue from 48 h 00:00.000001.
INSTANT = timedelta(microseconds=1)


def just_after(moment: datetime) -> datetime:
    return moment + INSTANT


class Level(models.TextChoices):
    ATTENTION = "attention", gettext_lazy("Needs attention")
    OVERDUE = "overdue", gettext_lazy("Overdue")


@dataclass(frozen=True)
class Finding:
    level: str
    reason: str
    since: datetime
    # What the finding is about: a reaction's code, MISSED_CHECK_IN or NOT_REACHED; empty for the rest.
    subject: str = ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label
