"""The sweep: marks missed check-ins and tells staff of new transitions, once each.

It reads the moments the rules stored; it never decides a status itself. Each kind of
transition is claimed by one conditional UPDATE over the rows that need someone (the
partial indexes keep that small however many sessions there are), which also marks it
told, so a second sweep, or two sweeps at once, tell nobody twice. Notifications, and the
events other systems are told of by webhook, are built only for what was claimed, written
in the same transaction, and handed to the broker after commit.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from events import services as events
from events.models import DomainEvent, EventKind
from messaging import handoff
from recovery import assessment
from recovery.models import (
    UNANSWERED_CALLS,
    CheckIn,
    CheckInStatus,
    FollowUp,
    Notification,
    NotificationKind,
    ReactionReport,
    Recovery,
)
from recovery.notifications import active_staff_by_clinic, practitioner_or_managers
from recovery.rules import MISSED_CHECK_IN_AFTER
from treatments.models import TreatmentSession

RECOVERY = Recovery._meta.db_table
CHECK_IN = CheckIn._meta.db_table
REPORT = ReactionReport._meta.db_table
FOLLOW_UP = FollowUp._meta.db_table

# A check-in after which the patient was heard from (a report, a staff note) was not missed; a call
# that reached nobody is no news of them (the rules read it so too).
_UNANSWERED = ", ".join(f"'{action}'" for action in UNANSWERED_CALLS)
CLAIM_MISSED = f"""
UPDATE {CHECK_IN} SET status = %s
WHERE status IN (%s, %s) AND answered_at IS NULL AND sent_at < %s
  AND NOT EXISTS (SELECT 1 FROM {REPORT} WHERE {REPORT}.session_id = {CHECK_IN}.session_id
                  AND {REPORT}.created_at >= {CHECK_IN}.sent_at)
  AND NOT EXISTS (SELECT 1 FROM {FOLLOW_UP} WHERE {FOLLOW_UP}.recovery_id = {CHECK_IN}.session_id
                  AND {FOLLOW_UP}.recorded_at >= {CHECK_IN}.sent_at
                  AND {FOLLOW_UP}.action NOT IN ({_UNANSWERED}))
RETURNING id
"""
CLAIM_ATTENTION = f"""
UPDATE {RECOVERY} SET notified_attention_at = unacknowledged_at
WHERE unacknowledged_at <= %s AND attention_at <= %s
  AND (notified_attention_at IS NULL OR notified_attention_at <> unacknowledged_at)
RETURNING session_id
"""
CLAIM_OVERDUE = f"""
UPDATE {RECOVERY} SET notified_overdue_at = overdue_at
WHERE closed_at IS NULL AND overdue_at <= %s AND (attention_at IS NULL OR attention_at > %s)
  AND (notified_overdue_at IS NULL OR notified_overdue_at <> overdue_at)
RETURNING session_id
"""


@dataclass(frozen=True)
class Transition:
    kind: str
    session_id: object
    event_key: str
    moment: datetime
    # What other systems are told of it: a missed check-in tells of the overdue it causes too.
    events: tuple[DomainEvent, ...] = field(default=())


def sweep(*, now: datetime | None = None) -> int:
    """Tell staff, and the systems the clinics connected, of every transition not yet told.
    Returns how many were told."""
    now = now or timezone.now()
    with transaction.atomic():
        transitions = _missed_check_ins(now) + _needing_attention(now) + _overdue(now)
        notifications = _notifications(transitions)
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        handoff.after_commit(handoff.NOTIFICATION_DELIVERY, [n.pk for n in notifications])
        events.events_record([event for transition in transitions for event in transition.events])
    return len(transitions)


def _claimed(sql: str, params: list) -> list:
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(p) if isinstance(p, datetime) else p for p in params])
        return [row[0] for row in cursor.fetchall()]


def _missed_check_ins(now: datetime) -> list[Transition]:
    # A check-in still trying its second channel (planned again, with the first gone) was sent too.
    waiting_or_sent = [CheckInStatus.SENT, CheckInStatus.PLANNED]
    ids = _claimed(CLAIM_MISSED, [CheckInStatus.MISSED, *waiting_or_sent, now - MISSED_CHECK_IN_AFTER])
    missed = list(CheckIn.objects.filter(pk__in=ids).values_list("pk", "session_id", "sent_at", "session__clinic_id"))
    # A safety net: the recoveries' stored deadlines are assessed again with what the sweep saw,
    # together, so that catching up after a pause costs a few queries per few hundred recoveries.
    recoveries = {session_id for _pk, session_id, _sent_at, _clinic_id in missed}
    assessment.recoveries_assess(pks=recoveries)
    # The missed check-in is what made these recoveries overdue: one notification tells both.
    overdue = Recovery.objects.filter(pk__in=recoveries, closed_at__isnull=True, overdue_at__lte=now)
    overdue_since = dict(overdue.values_list("pk", "overdue_at")) if recoveries else {}
    overdue.update(notified_overdue_at=F("overdue_at"))
    transitions = []
    for pk, session_id, sent_at, clinic_id in missed:
        told = [events.check_in_missed(clinic_id=clinic_id, session_id=session_id, check_in_id=pk, sent_at=sent_at)]
        if session_id in overdue_since:
            told.append(
                events.recovery_changed(
                    kind=EventKind.OVERDUE, clinic_id=clinic_id, session_id=session_id, since=overdue_since[session_id]
                )
            )
        transitions.append(
            Transition(NotificationKind.MISSED_CHECK_IN, session_id, f"missed:{pk}", sent_at, tuple(told))
        )
    return transitions


def _needing_attention(now: datetime) -> list[Transition]:
    ids = _claimed(CLAIM_ATTENTION, [now, now])
    return _recovery_transitions(ids, "unacknowledged_at", NotificationKind.NEEDS_ATTENTION, EventKind.NEEDS_ATTENTION)


def _overdue(now: datetime) -> list[Transition]:
    ids = _claimed(CLAIM_OVERDUE, [now, now])
    return _recovery_transitions(ids, "overdue_at", NotificationKind.OVERDUE, EventKind.OVERDUE)


def _recovery_transitions(ids: list, moment: str, kind: str, event_kind: str) -> list[Transition]:
    rows = Recovery.objects.filter(pk__in=ids).values_list("pk", moment, "clinic_id")
    return [
        Transition(
            kind,
            pk,
            f"{kind}:{pk}:{since.isoformat()}",
            since,
            (events.recovery_changed(kind=event_kind, clinic_id=clinic_id, session_id=pk, since=since),),
        )
        for pk, since, clinic_id in rows
    ]


def _notifications(transitions: list[Transition]) -> list[Notification]:
    """One notification per transition for the practitioner, or the managers if the practitioner has left."""
    if not transitions:
        return []
    sessions = TreatmentSession.objects.select_related("patient", "clinic").in_bulk({t.session_id for t in transitions})
    staff = active_staff_by_clinic({s.clinic_id for s in sessions.values()})
    notifications = []
    for transition in transitions:
        session = sessions[transition.session_id]
        recipients = practitioner_or_managers(
            practitioner_id=session.practitioner_id, staff=staff.get(session.clinic_id, [])
        )
        notifications += [
            Notification(
                recipient_id=user_id,
                recovery_id=session.pk,
                kind=transition.kind,
                params=_params(transition, session),
                event_key=transition.event_key,
            )
            for user_id in recipients
        ]
    return notifications


def _params(transition: Transition, session: TreatmentSession) -> dict:
    if transition.kind == NotificationKind.MISSED_CHECK_IN:
        return {"sent": timezone.localtime(transition.moment, session.clinic.zone).isoformat()}
    return {}
