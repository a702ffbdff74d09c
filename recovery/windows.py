"""When a window after a session ends: the one meaning of "after 48 h" and of "day N", shared by the
recovery rules and the check-in schedule. Pure: no model, no database.

Hours are elapsed hours, exact to the microsecond. A window of whole days that clinicians say in days
(72 h or more: "4 days", "14 days") is also counted on the clinic's wall clock, the way check-ins are
planned (day N at the session's local time): across a clock change the day-14 check-in goes out 335 or
337 elapsed hours after the session, and an answer to it is on day 14 all the same. Of the two
moments the earlier is taken, so no window ends later than its hours say.
"""

from datetime import datetime, timedelta, tzinfo

# Windows this long or longer are read in days, as clinicians say them.
DAYS_FROM_HOURS = 72
# Datetimes in Python and in the database resolve to the microsecond, so the first
# instant strictly after a deadline is one microsecond past it. The brief's windows
# end *after* their time: "fades by 48 h" is overdue from 48 h 00:00.000001.
INSTANT = timedelta(microseconds=1)


def just_after(moment: datetime) -> datetime:
    return moment + INSTANT


def wall_clock_days_after(moment: datetime, days: int, zone: tzinfo) -> datetime:
    """The same local time `days` calendar days later at the clinic (a time the clocks skip reads as
    the hour before the change, as the zone database does)."""
    local = moment.astimezone(zone)
    later = datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=zone)
    return later.astimezone(moment.tzinfo)


def window_end(session_at: datetime, hours: int, zone: tzinfo) -> datetime:
    """The moment a window of `hours` after the session is over (a finding holds strictly after it)."""
    elapsed = session_at + timedelta(hours=hours)
    if hours < DAYS_FROM_HOURS or hours % 24:
        return elapsed
    return min(elapsed, wall_clock_days_after(session_at, hours // 24, zone))


def calendar_days_between(earlier: datetime, later: datetime, zone: tzinfo) -> int:
    """Days on the clinic's calendar: a session at 17:00 yesterday was 1 day ago."""
    return (later.astimezone(zone).date() - earlier.astimezone(zone).date()).days
