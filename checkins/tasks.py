"""The outreach's Celery tasks: each takes ids, calls a service and is safe to run twice (see
recovery.tasks on acks_late and claims). Beat runs the minute's sends and relays and the sweep."""

from celery import shared_task
from django.conf import settings

from messaging import health

from . import guides, sweep
from . import services as check_ins


@shared_task(soft_time_limit=60, time_limit=90)
def send_check_in(check_in_id: str) -> bool:
    return check_ins.check_in_send(check_in_id=check_in_id, base_url=settings.SITE_URL)


@shared_task(soft_time_limit=60, time_limit=90)
def send_due_check_ins() -> int:
    health.beat_seen()
    due = check_ins.check_ins_due()
    for check_in_id in due:
        send_check_in.delay(str(check_in_id))
    return len(due)


@shared_task(soft_time_limit=60, time_limit=90)
def send_guide(guide_message_id: str) -> bool:
    return guides.guide_send(guide_message_id=guide_message_id, base_url=settings.SITE_URL)


@shared_task(soft_time_limit=60, time_limit=90)
def relay_guides() -> int:
    pending = guides.guides_pending()
    for guide_message_id in pending:
        send_guide.delay(str(guide_message_id))
    return len(pending)


@shared_task(soft_time_limit=300, time_limit=360)
def sweep_recoveries() -> None:
    sweep.sweep()
