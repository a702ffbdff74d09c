"""Who needs someone, asked the way the partial indexes answer it.

Those needing attention and those overdue are two disjoint parts, each held in a partial index
that carries every column the dashboard counts and orders them by (`recovery_attention_idx`,
`recovery_open_overdue_idx`): counted and ordered from the index alone, however many
recoveries a clinic group has had. One condition for both (`needs_someone`) would make the
database visit every such row in the table instead, which at a million sessions is most of the
morning dashboard's time. Only the page's rows are then read in full.
"""

from datetime import datetime

from django.db.models import Case, Count, F, Q, Value, When

from .models import needs_someone, status_is
from .rules import Status


def needing_attention(recoveries, now: datetime):
    return recoveries.filter(status_is(Status.NEEDS_ATTENTION, now))


def overdue(recoveries, now: datetime):
    return recoveries.filter(status_is(Status.OVERDUE, now))


def needing_someone_count(recoveries, *, now: datetime) -> int:
    return needing_attention(recoveries, now).count() + overdue(recoveries, now).count()


def status_counts(recoveries, *, in_period: Q, now: datetime) -> dict[str, int]:
    """How many recoveries have each status: whoever needs someone whatever their session's date,
    the on-track and resolved of the period.

    `recoveries` are filtered by everything but the period and the status.
    """
    attention = needing_attention(recoveries, now).aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(unacknowledged_at__lte=now))
    )
    rest = (
        recoveries.filter(in_period)
        .exclude(needs_someone(now))
        .aggregate(on_track=Count("pk", filter=Q(closed_at__isnull=True, settled=False)), total=Count("pk"))
    )
    counts = {
        Status.NEEDS_ATTENTION: attention["total"],
        Status.OVERDUE: overdue(recoveries, now).count(),
        Status.ON_TRACK: rest["on_track"],
        Status.RESOLVED: rest["total"] - rest["on_track"],
        # Acknowledged since the alarm: followed up, still needing attention until it is resolved.
        "followed_up": attention["total"] - attention["waiting"],
        "unacknowledged": attention["waiting"],
    }
    counts["total"] = sum(counts[status] for status in Status.values)
    return counts


class NeedingSomeone:
    """The default work queue as a sequence a paginator slices, in the queue's order: needing
    attention (unacknowledged, then followed up; longest waiting first), then overdue (most overdue
    first). Each part's page of ids is read from its index; `full_rows` reads those rows."""

    def __init__(self, recoveries, *, counts: dict[str, int], now: datetime, full_rows):
        self.recoveries = recoveries
        self.now = now
        self.full_rows = full_rows
        self.attention_count = counts[Status.NEEDS_ATTENTION]
        self.total = self.attention_count + counts[Status.OVERDUE]

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, min(window.stop, self.total)
        ids = []
        if start < self.attention_count:
            ids += self._attention_ids()[start : min(stop, self.attention_count)]
        if stop > self.attention_count:
            ids += self._overdue_ids()[max(start - self.attention_count, 0) : stop - self.attention_count]
        return list(self.full_rows(self.recoveries.filter(pk__in=list(ids)))) if ids else []

    def _attention_ids(self):
        waiting = Q(unacknowledged_at__lte=self.now)
        return (
            needing_attention(self.recoveries, self.now)
            .annotate(
                waiting_first=Case(When(waiting, then=Value(0)), default=Value(1)),
                waiting_since=Case(When(waiting, then=F("unacknowledged_at")), default=F("attention_at")),
            )
            .order_by("waiting_first", "waiting_since", "session_id")
            .values_list("session_id", flat=True)
        )

    def _overdue_ids(self):
        most_overdue_first = overdue(self.recoveries, self.now).order_by("overdue_at", "session_id")
        return most_overdue_first.values_list("session_id", flat=True)
