"""What the dashboard reads: the recoveries in the user's scope, their counts by status, the work
queue in the order someone should act on it, the 30-day chart and what makes recoveries overdue."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Count, F, OuterRef, Prefetch, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils.functional import cached_property
from django.utils.translation import get_language

from clinics.scoping import clinic_ids_of
from treatments.models import SessionArea, TreatmentSession

from . import queue
from .models import ReactionReport, ReactionType, Recovery
from .rules import Finding, Status, silence_labels
from .selectors import with_unanswered_calls
from .windows import calendar_days_between


def recoveries_in_scope(*, user, now: datetime):
    """Every recovery of the user's clinics, with its status as of `now`."""
    return Recovery.objects.filter(clinic_id__in=clinic_ids_of(user)).with_status(now)


def work_queue(recoveries, *, one_page: bool = False):
    """Needing attention first (unacknowledged, then followed up; longest waiting first),
    then overdue (most overdue first), then the rest by session date.

    `one_page`: the recoveries are a page's already (`queue.NeedingSomeone`), so their sessions are
    joined to them rather than read in a query of their own."""
    latest_report = ReactionReport.objects.filter(session_id=OuterRef("session_id")).order_by("-reported_at")
    if one_page:
        recoveries = recoveries.select_related("session__patient", "session__practitioner", "session__clinic")
    else:
        # Prefetched, not joined: the database sorts the recoveries alone and joins only the page.
        recoveries = recoveries.prefetch_related(
            Prefetch("session", queryset=TreatmentSession.objects.select_related("patient", "practitioner", "clinic"))
        )
    return (
        with_unanswered_calls(recoveries)
        .annotate(
            rank=Case(
                When(status=Status.NEEDS_ATTENTION, followed_up=False, then=Value(0)),
                When(status=Status.NEEDS_ATTENTION, then=Value(1)),
                When(status=Status.OVERDUE, then=Value(2)),
                When(status=Status.ON_TRACK, then=Value(3)),
                default=Value(4),
            ),
            waiting_since=Case(
                When(status=Status.NEEDS_ATTENTION, followed_up=False, then=F("unacknowledged_at")),
                When(status=Status.NEEDS_ATTENTION, then=F("attention_at")),
                When(status=Status.OVERDUE, then=F("overdue_at")),
                default=F("performed_at"),
            ),
            latest_report_at=Subquery(latest_report.values("reported_at")[:1]),
        )
        .prefetch_related(Prefetch("session__areas", queryset=SessionArea.objects.order_by("area")))
        .order_by("rank", "waiting_since", "session_id")
    )


def needing_someone_elsewhere(in_scope, *, filters, counts: dict[str, int], now: datetime) -> int:
    """How many recoveries that need someone the filters leave out of `counts`.

    Filters that narrow nothing but the period leave none out (the period keeps whoever needs
    someone), so the morning's default view is not asked the same question twice.
    """
    if not filters.narrows_who_needs_someone:
        return 0
    return queue.needing_someone_count(in_scope, now=now) - counts[Status.NEEDS_ATTENTION] - counts[Status.OVERDUE]


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, when the page has already counted them."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def queue_page(*, filters, unfiltered_by_date, counts: dict[str, int], now: datetime, number, per_page: int):
    """A page of the work queue. By default it is whoever needs someone, counted already, and read
    part by part from the partial indexes (`recovery.queue`); a chosen status lists the period's."""
    if not filters.is_valid() or filters.chosen_status:
        return Paginator(work_queue(filters.queue), per_page).get_page(number)
    needing = queue.NeedingSomeone(
        unfiltered_by_date, counts=counts, now=now, full_rows=lambda page: work_queue(page, one_page=True)
    )
    return CountedPaginator(needing, per_page, count=len(needing)).get_page(number)


@dataclass(frozen=True)
class QueueRow:
    recovery: Recovery
    status: str
    followed_up: bool
    unanswered_calls: int
    last_unanswered_call: str | None
    reasons: list[Finding]
    days_since_session: int
    # The next moment time alone will change the status (overdue, then needs attention).
    deadline: datetime | None

    @cached_property
    def area_names(self) -> str:
        """The session's areas as the queue shows them, twice a row (wide and narrow screens): read once."""
        return ", ".join(str(area) for area in self.recovery.session.areas.all())


def queue_rows(recoveries, *, now: datetime) -> list[QueueRow]:
    return [
        QueueRow(
            recovery=recovery,
            status=recovery.status,
            followed_up=recovery.followed_up,
            unanswered_calls=recovery.unanswered_calls,
            last_unanswered_call=recovery.last_unanswered_call,
            reasons=recovery.reasons_at(now),
            days_since_session=calendar_days_between(recovery.session.performed_at, now, recovery.session.clinic.zone),
            deadline=min(
                (moment for moment in (recovery.attention_at, recovery.overdue_at) if moment and moment > now),
                default=None,
            ),
        )
        for recovery in recoveries
    ]


def status_by_day(recoveries, *, now: datetime, clinics, days: int = 30) -> list[dict]:
    """Sessions of each of the last `days` days, counted by their recovery's status now.

    A session belongs to the day on its own clinic's calendar: one grouped query per
    time zone among the user's clinics, however many sessions there are.
    """
    # The latest calendar among the clinics: Sydney's today is counted although London's is still yesterday.
    today = max((now.astimezone(clinic.zone).date() for clinic in clinics), default=now.date())
    first_day = today - timedelta(days=days - 1)
    by_day = {first_day + timedelta(days=offset): dict.fromkeys(Status.values, 0) for offset in range(days)}
    zones = {}
    for clinic in clinics:
        zones.setdefault(clinic.time_zone, (clinic.zone, []))[1].append(clinic.pk)
    for zone, clinic_ids in zones.values():
        rows = (
            recoveries.filter(clinic_id__in=clinic_ids, performed_at__gte=now - timedelta(days=days + 1))
            .annotate(day=TruncDate("performed_at", tzinfo=zone))
            .values("day", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            if row["day"] in by_day:
                by_day[row["day"]][row["status"]] += row["n"]
    return [{"day": day, "counts": counts} for day, counts in by_day.items()]


# PostgreSQL unnests the findings and counts in place, instead of sending every overdue
# recovery's findings to Python: at a clinic group's scale that is tens of thousands of rows.
OVERDUE_SUBJECTS_SQL = """
SELECT finding->>'subject', count(DISTINCT overdue.session_id)
FROM ({overdue}) AS overdue
CROSS JOIN LATERAL jsonb_array_elements(overdue.findings) AS finding
WHERE finding->>'level' = 'overdue' AND finding->>'subject' <> '' AND (finding->>'since')::timestamptz <= %s
GROUP BY 1
"""


def _overdue_subjects(overdue, now: datetime) -> Counter:
    rows = overdue.values("session_id", "findings")
    if connection.vendor == "postgresql":
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:
            return Counter()
        with connection.cursor() as cursor:
            cursor.execute(OVERDUE_SUBJECTS_SQL.format(overdue=sql), [*params, now])
            return Counter(dict(cursor.fetchall()))
    counter: Counter = Counter()
    for row in rows:
        counter.update(
            {
                f.get("subject")
                for f in row["findings"]
                if f["level"] == "overdue" and f.get("subject") and datetime.fromisoformat(f["since"]) <= now
            }
        )
    return counter


def overdue_by_reaction(recoveries, *, now: datetime, clinic_ids) -> list[tuple[str, int]]:
    """How many overdue recoveries each reaction (or a missed check-in) makes overdue now.

    `recoveries` are filtered by anything but the period and the status: whoever is overdue is counted.
    """
    labels = {
        reaction.code: reaction.staff_text
        for reaction in ReactionType.objects.filter(clinic_id__in=clinic_ids).only(
            "code", "staff_label", "staff_label_fr"
        )
    }
    labels.update(silence_labels())
    counter = _overdue_subjects(queue.overdue(recoveries, now), now)
    return [(labels.get(code, code), n) for code, n in counter.most_common()]


CHART_VALID_FOR = 60


def overdue_by_reaction_this_minute(
    recoveries, *, now: datetime, clinic_ids, filters: dict, reader_id: int | None
) -> list[tuple[str, int]]:
    """`overdue_by_reaction`, drawn once a minute for every screen showing the same clinics and filters.

    Every open dashboard refreshes each minute, and this chart reads the findings of every overdue
    recovery: shared, it costs one reading a minute per clinic, not one per screen. The counts and
    the queue are never kept: whoever needs someone is always read as of the request.
    `reader_id` names the reader when the filters depend on who reads them ("my sessions").
    """
    minute = now.replace(second=0, microsecond=0)
    key_source = json.dumps(
        [sorted(map(str, clinic_ids)), sorted(filters.items()), reader_id, get_language(), minute.isoformat()]
    )
    key = "dashboard:overdue-by-reaction:" + hashlib.sha256(key_source.encode()).hexdigest()
    bars = cache.get(key)
    if bars is None:
        bars = overdue_by_reaction(recoveries, now=now, clinic_ids=clinic_ids)
        cache.set(key, bars, timeout=CHART_VALID_FOR)
    return bars
