"""Silence is not recovery: check-ins the patient did not answer, and patients the clinic could not reach.

A check-in sent and unanswered is missed strictly after 24 h. One never sent was not missed, since
the patient was never asked; but a message (a check-in or the recovery guide) that could not be
sent leaves a patient the clinic could not reach, which is no more on track than a silent one. Pure
functions over plain data, like the rest of the rules (recovery.rules calls them).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.utils.translation import gettext as _

from .findings import Finding, Level, Reason, just_after

# The product brief: a check-in that was sent and has no answer within 24 h is a missed check-in.
MISSED_CHECK_IN_AFTER = timedelta(hours=24)
MISSED_CHECK_IN = "missed_check_in"
NOT_REACHED = "not_reached"


def silence_labels() -> dict[str, str]:
    """The words for what silence makes a recovery overdue for, beside the reactions' own."""
    return {MISSED_CHECK_IN: str(_("Missed check-in")), NOT_REACHED: str(_("Not reached"))}


@dataclass(frozen=True)
class CheckIn:
    """A scheduled check-in; `asked_at` is when the patient was first sent it, if ever.

    `never_asked` marks one that will not be sent (consent withdrawn, sending gave up): the
    patient was never asked, so it can be neither missed nor awaited. `not_reached_at` is when
    sending gave up, and `email`/`text` what became of each channel (a `Reach`, or empty).
    """

    due_at: datetime
    asked_at: datetime | None = None
    answered_at: datetime | None = None
    never_asked: bool = False
    not_reached_at: datetime | None = None
    email: str = ""
    text: str = ""


@dataclass(frozen=True)
class Guide:
    """A message bringing the recovery guide's link: when it went out, or when sending gave up."""

    asked_at: datetime | None = None
    not_reached_at: datetime | None = None
    email: str = ""
    text: str = ""


def heard_since(check_in: CheckIn, heard_at: Sequence[datetime]) -> bool:
    """Answered, or the patient was heard from (a report, a staff note) after it was sent."""
    if check_in.answered_at is not None:
        return True
    return check_in.asked_at is not None and any(moment >= check_in.asked_at for moment in heard_at)


def missed_check_in_findings(check_ins: Sequence[CheckIn], heard_at: Sequence[datetime], zone: tzinfo) -> list[Finding]:
    """A check-in sent and unanswered is overdue strictly after 24 h, until anyone is heard from.
    One never sent was not missed: the patient was never asked."""
    found = []
    for check_in in check_ins:
        if check_in.asked_at is None or heard_since(check_in, heard_at):
            continue
        found.append(
            Finding(
                Level.OVERDUE,
                Reason.CHECK_IN_MISSED,
                just_after(check_in.asked_at + MISSED_CHECK_IN_AFTER),
                subject=MISSED_CHECK_IN,
                # On the clinic's clock, as staff read it, with its offset: a moment all the same.
                params={"sent": check_in.asked_at.astimezone(zone).isoformat()},
            )
        )
    return found


def not_reached_findings(
    *,
    session_at: datetime,
    check_ins: Sequence[CheckIn],
    guides: Sequence[Guide],
    heard_at: Sequence[datetime],
    zone: tzinfo,
) -> list[Finding]:
    """A message that could not be sent puts the patient on the work queue, as overdue, from the
    moment sending gave up: not as a missed check-in (the patient was never asked), but so that
    someone calls. It holds until a message reaches the patient, the patient is heard from, or
    staff record contact, after it."""
    reached_at = [message.asked_at for message in [*check_ins, *guides] if message.asked_at]
    news = [*heard_at, *reached_at]
    found = []
    for message in [*check_ins, *guides]:
        since = message.not_reached_at
        if since is None or any(moment >= since for moment in news):
            continue
        channels = {"email": message.email, "text": message.text}
        if isinstance(message, CheckIn):
            day = (message.due_at.astimezone(zone).date() - session_at.astimezone(zone).date()).days
            found.append(
                Finding(
                    Level.OVERDUE, Reason.CHECK_IN_NOT_SENT, since, subject=NOT_REACHED, params={"day": day, **channels}
                )
            )
        else:
            found.append(Finding(Level.OVERDUE, Reason.GUIDE_NOT_SENT, since, subject=NOT_REACHED, params=channels))
    return found
