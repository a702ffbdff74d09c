"""Writing events, by the services whose changes they tell, in those changes' transactions.

Each builder names its event's key, so that a writer run twice (a sweep, a retried task) or two
writers of one transition (a report's alarm and the sweep after it) write one event. The fan-out to
webhook endpoints is handed to a worker by task name after commit; an event the broker never took
stays undispatched, and the relay hands it over again.

Imported history must send no webhook: an import calls none of these writers, and marks its
recoveries' transitions as told, as it must anyway to keep them from notifying staff.
"""

from datetime import UTC, datetime

from django.utils import timezone

from messaging import handoff

from .models import DomainEvent, EventKind


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def recovery_changed(*, kind: str, clinic_id, session_id, since: datetime) -> DomainEvent:
    """A recovery newly needing attention or overdue, from the moment it did (a recovery is known by
    its session's id)."""
    return DomainEvent(
        clinic_id=clinic_id,
        kind=kind,
        subject={"session": str(session_id), "recovery": str(session_id)},
        key=f"{kind}:{session_id}:{_moment(since)}",
        occurred_at=since,
    )


def check_in_missed(*, clinic_id, session_id, check_in_id, sent_at: datetime) -> DomainEvent:
    kind = EventKind.CHECK_IN_MISSED
    return DomainEvent(
        clinic_id=clinic_id,
        kind=kind,
        subject={"session": str(session_id), "recovery": str(session_id), "check_in": str(check_in_id)},
        key=f"{kind}:{check_in_id}",
        occurred_at=sent_at,
    )


def complication_confirmed(*, clinic_id, session_id, complication_id, at: datetime) -> DomainEvent:
    """The complication's own id is a number, so it stays out of the payload: its recovery names it."""
    kind = EventKind.COMPLICATION_CONFIRMED
    return DomainEvent(
        clinic_id=clinic_id,
        kind=kind,
        subject={"session": str(session_id), "recovery": str(session_id)},
        key=f"{kind}:{complication_id}",
        occurred_at=at,
    )


def batch_quarantined(*, clinic_id, batch_id, product_id, at: datetime) -> DomainEvent:
    kind = EventKind.BATCH_QUARANTINED
    return DomainEvent(
        clinic_id=clinic_id,
        kind=kind,
        subject={"batch": str(batch_id), "product": str(product_id)},
        key=f"{kind}:{batch_id}",
        occurred_at=at,
    )


def events_record(events: list[DomainEvent]) -> None:
    """Write the events not yet written, in the caller's transaction; their fan-out follows its commit."""
    if not events:
        return
    unique = list({event.key: event for event in events}.values())
    DomainEvent.objects.bulk_create(unique, ignore_conflicts=True)
    # Ids of events already written under the same key are handed over too: they name no row, and
    # the fan-out of a missing row does nothing.
    handoff.after_commit(handoff.EVENT_FAN_OUT, [event.pk for event in unique])


def event_dispatch_claim(*, event_id, now: datetime | None = None) -> DomainEvent | None:
    """Take an event for its fan-out, in the caller's transaction: only one caller gets it, and a
    fan-out that fails before commit leaves it to be taken again."""
    now = now or timezone.now()
    if not DomainEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).update(dispatched_at=now):
        return None
    return DomainEvent.objects.get(pk=event_id)


def events_undispatched(*, now: datetime | None = None) -> list:
    """Events whose fan-out never ran (the broker was down at their commit), older than the moment
    their own commit handed them over."""
    now = now or timezone.now()
    return list(
        DomainEvent.objects.filter(dispatched_at__isnull=True, recorded_at__lte=now - handoff.relay_grace())
        .order_by("recorded_at")
        .values_list("pk", flat=True)
    )
