"""Logging a session is one user action across two apps: the treatment record, then its recovery.

`treatments` knows nothing of recoveries; this module, above it, composes the two in
one transaction, so a session is never stored without the recovery that follows it.
"""

from typing import Any

from django.db import transaction

from treatments import services as treatment_services
from treatments.models import TreatmentSession

from . import schedule, services, tallies
from .models import Recovery


@transaction.atomic
def session_log(*, send_guide: bool = True, **session_fields: Any) -> TreatmentSession:
    """Record a session (the arguments of `treatments.services.session_create`), open its recovery and
    send the patient its guide; `send_guide=False` when loading history whose guides went out long ago."""
    session = treatment_services.session_create(**session_fields)
    recovery_open(session=session)
    tallies.tallies_after_session(session=session)
    if send_guide:
        schedule.guide_plan(session=session)
    return session


def recovery_open(*, session: TreatmentSession) -> Recovery:
    """Open the recovery of a new session: plan its check-ins, then assess it once, knowing them."""
    recovery = Recovery.objects.open_for(session)
    schedule.check_ins_plan(session=session)
    return services.recovery_assess(recovery=recovery)
