"""After each attempt to send a patient's message (a check-in, a recovery guide): when to try again,
when to give up, and who is told.

A failure that may pass (a server down, busy, slow) is tried again as messaging.retries says, until
SEND_RETRY_HOURS after the message was due. Then, or at once when every
channel was refused for good, the message is given up: if no channel reached the patient, the
recovery says "not reached" on the work queue (recovery.silence) and the practitioner is told, once,
in the same transaction.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from events import services as events
from events.models import EventKind
from messaging.delivery import Delivery, pending_given_up
from messaging.retries import next_attempt
from recovery import services
from recovery.models import NotificationKind, Recovery
from recovery.notifications import active_staff_by_clinic, notify, practitioner_or_managers
from recovery.silence import NOT_REACHED

SENDING = "sending"


@dataclass(frozen=True)
class Statuses:
    """A kind of message's own words for waiting to be sent, sent and given up."""

    waiting: str
    sent: str
    failed: str


def attempt_settle(*, row, delivery: Delivery, due_at: datetime, now: datetime, statuses: Statuses) -> str | None:
    """Store what an attempt came to, and the recovery's assessment with it, in one transaction.

    Returns the row's new status, or None when the row was no longer this attempt's to settle
    (the patient answered meanwhile)."""
    changes: dict = {"claimed_until": None}
    if delivery.reached and row.sent_at is None:
        # Asked: the missed-answer clock runs from here, whatever the other channel does next.
        changes["sent_at"] = now
    pending = delivery.pending
    if pending:
        retry_at = next_attempt(
            attempts=row.send_attempts,
            now=now,
            due_at=due_at,
            zone=row.session.clinic.zone,
            retry_after=delivery.retry_after,
        )
        if retry_at is None:
            changes.update(pending_given_up(row))
            pending = False
        else:
            changes.update(status=statuses.waiting, retry_at=retry_at)
    if not pending:
        changes["retry_at"] = None
        if delivery.reached or row.sent_at is not None:
            changes["status"] = statuses.sent
        else:
            changes.update(status=statuses.failed, given_up_at=now)
    with transaction.atomic():
        if not type(row).objects.filter(pk=row.pk, status=SENDING).update(**changes):
            return None
        for name, value in changes.items():
            setattr(row, name, value)
        if "sent_at" in changes or "given_up_at" in changes:
            recovery = services.recovery_assess(recovery=Recovery.objects.open_for(row.session))
            if "given_up_at" in changes:
                not_reached_told(recovery=recovery, session=row.session)
    return changes["status"]


def not_reached_told(*, recovery: Recovery, session) -> None:
    """Tell the practitioner (or the managers, if they have left) that the patient is not reached:
    once for as long as the patient stays unreached, however many messages fail meanwhile. The
    notification tells the recovery's new overdue moment too, so the sweep does not tell it again."""
    if recovery.closed_at is not None:
        return
    not_reached = sorted((f for f in recovery.assessment().findings if f.subject == NOT_REACHED), key=lambda f: f.since)
    if not not_reached:
        return
    first = not_reached[0]
    staff = active_staff_by_clinic({session.clinic_id}).get(session.clinic_id, [])
    notify(
        session=session,
        user_ids=practitioner_or_managers(practitioner_id=session.practitioner_id, staff=staff),
        kind=NotificationKind.NOT_REACHED,
        params={"reason": {"code": first.code, "params": dict(first.params)}},
        event_key=f"{NOT_REACHED}:{recovery.pk}:{first.since.isoformat()}",
    )
    if recovery.overdue_at == first.since:
        Recovery.objects.filter(pk=recovery.pk).update(notified_overdue_at=first.since)
        events.events_record(
            [
                events.recovery_changed(
                    kind=EventKind.OVERDUE, clinic_id=recovery.clinic_id, session_id=recovery.pk, since=first.since
                )
            ]
        )
