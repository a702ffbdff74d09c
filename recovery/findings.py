"""What the recovery rules find: a reason, at a level, holding from a moment. Shared by the rules'
modules (recovery.rules, recovery.silence); pure, like them.

A finding is stored as a code and its parameters, never as words: staff read it in their own language,
whichever language was active when the rules ran (a French patient's answer, an English worker).
recovery.reasons turns them into words when they are read.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from .windows import INSTANT as INSTANT
from .windows import just_after as just_after


class Level(models.TextChoices):
    ATTENTION = "attention", gettext_lazy("Needs attention")
    OVERDUE = "overdue", gettext_lazy("Overdue")


class Reason:
    """The codes a finding is stored under; recovery.reasons has their words."""

    RED_FLAG = "red_flag"
    WANTS_CALL = "wants_call"
    SEVERE = "severe"
    NEW_ONSET = "new_onset"
    PAIN = "pain"
    WORSE = "worse"
    PAIN_RISING = "pain_rising"
    NOT_FADED = "not_faded"
    STILL_PRESENT = "still_present"
    # A reaction marked, or reported on an area, beyond every zone the session treated.
    OUTSIDE_TREATED = "outside_treated"
    # A colour change marked near the eye: a vessel feeding the eye may be blocked, an emergency.
    COLOUR_NEAR_THE_EYE = "colour_near_the_eye"
    CHECK_IN_MISSED = "check_in_missed"
    CHECK_IN_NOT_SENT = "check_in_not_sent"
    GUIDE_NOT_SENT = "guide_not_sent"
    # Worked out before findings were stored as codes, and kept in the words they were written in
    # until the recovery is assessed again.
    AS_WRITTEN = "as_written"


def in_language(*, english: str, french: str) -> str:
    """A text of the clinic's catalogue in the active language; the English one where no French is written."""
    return french if translation.get_language().startswith("fr") and french else english


@dataclass(frozen=True)
class Named:
    """A catalogue entry's label for staff in each language it is written in (French may be blank)."""

    en: str
    fr: str = ""

    def stored(self) -> dict:
        return {"en": self.en, "fr": self.fr}


def stored_name(label: Named | str) -> dict:
    """A catalogue label as a finding's parameter: both languages, the French perhaps blank."""
    return (label if isinstance(label, Named) else Named(label)).stored()


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    since: datetime
    # What the finding is about: a reaction's code, MISSED_CHECK_IN or NOT_REACHED; empty for the rest.
    subject: str = ""
    # Plain JSON values only (numbers, strings, Named.stored()), since they are stored as they are.
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    def stored(self) -> dict:
        return {
            "level": self.level,
            "code": self.code,
            "params": dict(self.params),
            "since": self.since.isoformat(),
            "subject": self.subject,
        }

    @classmethod
    def from_stored(cls, row: Mapping) -> "Finding":
        return cls(row["level"], row["code"], datetime.fromisoformat(row["since"]), row["subject"], row["params"])
