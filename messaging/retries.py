"""When a message that could not leave is tried again: a wait that doubles from a minute to half an
hour, or longer when the other side asked for it (Retry-After); a patient's message never in their
clinic's night; and not past SEND_RETRY_HOURS after it was due, when it is given up."""

from datetime import datetime, timedelta, tzinfo

from django.conf import settings
from django.utils import timezone

FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=30)


def retry_wait(attempts: int, retry_after: timedelta | None = None, *, longest: timedelta = LONGEST_WAIT) -> timedelta:
    """1, 2, 4, 8, 16, then every 30 minutes (or `longest`); at least what the other side asked for."""
    wait = min(FIRST_WAIT * 2 ** min(max(attempts - 1, 0), 10), longest)
    return max(wait, retry_after) if retry_after else wait


def give_up_at(due_at: datetime) -> datetime:
    return due_at + timedelta(hours=settings.SEND_RETRY_HOURS)


def in_daytime(moment: datetime, zone: tzinfo) -> datetime:
    """The moment, or the next morning's first sending hour if it falls in the clinic's night."""
    local = timezone.localtime(moment, zone)
    if local.hour < settings.CHECK_IN_EARLIEST_HOUR:
        morning = local.date()
    elif local.hour >= settings.CHECK_IN_LATEST_HOUR:
        morning = local.date() + timedelta(days=1)
    else:
        return moment
    return datetime.combine(morning, datetime.min.time(), zone).replace(hour=settings.CHECK_IN_EARLIEST_HOUR)


def next_attempt(
    *, attempts: int, now: datetime, due_at: datetime, zone: tzinfo | None, retry_after: timedelta | None = None
) -> datetime | None:
    """When to try again, or None once that would be past giving up. Without a zone (staff
    e-mails), any hour will do."""
    moment = now + retry_wait(attempts, retry_after)
    if zone is not None:
        moment = in_daytime(moment, zone)
    return moment if moment <= give_up_at(due_at) else None
