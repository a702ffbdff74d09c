"""The words of each finding, chosen when it is read.

The rules store a finding as a code and its parameters (recovery.findings), so the same recovery reads
all in French to a French manager and all in English to an English one, whoever's language was active
when the rules ran. Labels from the clinic's catalogue travel in both languages; dates travel on the
clinic's clock with their offset. Pure, like the rules.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from messaging.reach import reach_problems

from .findings import Finding, Reason, in_language
from .rules import Severity, window_words


def label(value: Mapping | str) -> str:
    """A catalogue label in the reader's language, where the clinic has written it in that language."""
    if isinstance(value, str):
        return value
    return in_language(english=value["en"], french=value["fr"])


def _severity(value: int) -> str:
    return Severity(value).label.lower()


def _sent(params: Mapping) -> str:
    return date_format(datetime.fromisoformat(params["sent"]), "j F H:i")


_WORDS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    Reason.RED_FLAG: lambda p: _("Red flag reported: %(flag)s") % {"flag": label(p["flag"])},
    Reason.WANTS_CALL: lambda p: _("The patient asked to be called"),
    Reason.SEVERE: lambda p: _("%(reaction)s reported as severe") % {"reaction": label(p["reaction"])},
    Reason.NEW_ONSET: lambda p: (
        _("New %(reaction)s %(days)s days after the session")
        % {"reaction": label(p["reaction"]).lower(), "days": p["days"]}
    ),
    Reason.PAIN: lambda p: _("Pain %(score)s/10 reported") % {"score": p["score"]},
    Reason.WORSE: lambda p: (
        _("%(reaction)s worse than at the previous report (%(before)s → %(now)s)")
        % {"reaction": label(p["reaction"]), "before": _severity(p["before"]), "now": _severity(p["now"])}
    ),
    Reason.PAIN_RISING: lambda p: (
        _("Pain rising between reports (%(before)s/10 → %(now)s/10)") % {"before": p["before"], "now": p["now"]}
    ),
    Reason.NOT_FADED: lambda p: (
        _("%(reaction)s should have faded by %(window)s and was still present at the last report")
        % {"reaction": label(p["reaction"]), "window": window_words(p["hours"])}
    ),
    Reason.STILL_PRESENT: lambda p: (
        _("%(reaction)s still present after %(window)s")
        % {"reaction": label(p["reaction"]), "window": window_words(p["hours"])}
    ),
    Reason.OUTSIDE_TREATED: lambda p: (
        _("%(reaction)s beyond the treated area (%(where)s)")
        % {"reaction": label(p["reaction"]), "where": label(p["where"]).lower()}
    ),
    Reason.COLOUR_NEAR_THE_EYE: lambda p: (
        _("Emergency: %(reaction)s near the eye (%(where)s), a vessel may be blocked")
        % {"reaction": label(p["reaction"]), "where": label(p["where"]).lower()}
    ),
    Reason.CHECK_IN_MISSED: lambda p: _("Check-in sent %(sent)s was not answered") % {"sent": _sent(p)},
    Reason.CHECK_IN_NOT_SENT: lambda p: (
        _("Not reached: the day-%(day)s check-in could not be sent (%(why)s). Call the patient.")
        % {"day": p["day"], "why": reach_problems(email=p["email"], text=p["text"])}
    ),
    Reason.GUIDE_NOT_SENT: lambda p: (
        _("Not reached: the recovery guide could not be sent (%(why)s). Call the patient.")
        % {"why": reach_problems(email=p["email"], text=p["text"])}
    ),
    Reason.AS_WRITTEN: lambda p: p["text"],
}


def reason_words(code: str, params: Mapping[str, Any]) -> str:
    return _WORDS[code](params)


def words(finding: Finding) -> str:
    """Why a recovery needs someone, in the reader's language."""
    return reason_words(finding.code, finding.params)
