"""The sweep: marks missed check-ins and tells staff of new transitions, once each.

It reads the moments the rules stored; it never decides a status itself.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CheckIn, CheckInStatus, Notification, NotificationKind, Recovery
from .notifications import notify, practitioner_or_managers
from .rules import MISSED_CHECK_IN_AFTER, Status


def sweep(*, now: datetime | None = None) -> None:
    """Mark missed check-ins and tell practitioners about new transitions, once each.

    It reads the moments the engine stored; it never decides a status itself. Each
    mark is written with its notification, so a worker dying in between loses neither.
    """
    now = now or timezone.now()
    missed = CheckIn.objects.filter(
        status=CheckInStatus.SENT, answered_at__isnull=True, sent_at__lt=now - MISSED_CHECK_IN_AFTER
    )
    for check_in in missed.select_related("session__patient", "session__clinic"):
        with transaction.atomic():
            if not CheckIn.objects.filter(pk=check_in.pk, status=CheckInStatus.SENT).update(
                status=CheckInStatus.MISSED
            ):
                continue
            session = check_in.session
            notify(
                session=session,
                user_ids=practitioner_or_managers(session),
                kind=NotificationKind.MISSED_CHECK_IN,
                text=_("%(patient)s did not answer the check-in sent %(sent)s")
                % {
                    "patient": session.patient.full_name,
                    "sent": date_format(timezone.localtime(check_in.sent_at, session.clinic.zone), "j M H:i"),
                },
                event_key=f"missed:{check_in.pk}",
            )
    open_recoveries = (
        Recovery.objects.with_status(now)
        .filter(status__in=[Status.NEEDS_ATTENTION, Status.OVERDUE], followed_up=False)
        .select_related("session__patient")
    )
    for recovery in open_recoveries:
        if recovery.status == Status.NEEDS_ATTENTION:
            kind, since = NotificationKind.NEEDS_ATTENTION, recovery.unacknowledged_at
            already_told = Notification.objects.filter(
                recovery=recovery,
                kind__in=[NotificationKind.RED_FLAG, NotificationKind.NEEDS_ATTENTION],
                created_at__gte=since,
            ).exists()
            if already_told:
                continue
            text = _("%(patient)s needs attention") % {"patient": recovery.session.patient.full_name}
        else:
            kind, since = NotificationKind.OVERDUE, recovery.overdue_at
            text = _("%(patient)s's recovery is overdue") % {"patient": recovery.session.patient.full_name}
        with transaction.atomic():
            notify(
                session=recovery.session,
                user_ids=practitioner_or_managers(recovery.session),
                kind=kind,
                text=text,
                event_key=f"{kind}:{recovery.pk}:{since.isoformat()}",
            )
