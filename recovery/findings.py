"""What the recovery rules find: a reason, at a level, holding from a moment. Shared by the rules'
modules (recovery.rules, recovery.silence); pure, like them."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy

from .windows import INSTANT as INSTANT
from .windows import just_after as just_after


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
