"""Many recoveries assessed together store exactly what each stores assessed alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recovery import assessment, services
from recovery.models import Recovery
from recovery.rules import Status

from ..conftest import at

STORED = ["findings", "attention_at", "unacknowledged_at", "overdue_at", "settled"]
STALE = {
    "findings": [{"level": "overdue", "reason": "stale", "since": "2026-01-01T00:00:00+00:00", "subject": ""}],
    "attention_at": None,
    "unacknowledged_at": None,
    "overdue_at": at(-1000),
    "settled": True,
}


def stored_columns() -> dict:
    return {row.pop("pk"): row for row in Recovery.objects.values("pk", *STORED)}


def make_stale():
    Recovery.objects.update(**STALE)


@pytest.mark.parametrize("chunk", [3, assessment.CHUNK])
def test_assessed_together_each_recovery_stores_what_it_stores_assessed_alone(
    varied_recoveries, monkeypatch, time_machine, chunk
):
    monkeypatch.setattr(assessment, "CHUNK", chunk)
    time_machine.move_to(at(24 * 20), tick=False)
    pks = list(Recovery.objects.values_list("pk", flat=True))
    make_stale()
    for pk in pks:
        services.recovery_assess(recovery=Recovery(pk=pk))
    alone = stored_columns()
    make_stale()

    assert assessment.recoveries_assess(pks=pks) == len(pks)

    assert stored_columns() == alone
    # The set is varied enough to prove something: every status, and no two alike.
    statuses = {Recovery.objects.get(pk=pk).status_at(at(24 * 20)) for pk in pks}
    assert statuses == {Status.NEEDS_ATTENTION, Status.OVERDUE, Status.RESOLVED}
    assert len({repr(columns) for columns in alone.values()}) == len(pks)


def test_only_the_recoveries_asked_for_are_assessed(varied_recoveries):
    make_stale()
    chosen = varied_recoveries.missed[:2]

    assert assessment.recoveries_assess(pks=[session.pk for session in chosen]) == 2

    columns = stored_columns()
    assert all(columns[session.pk] != STALE for session in chosen)
    assert all(columns[pk] == STALE for pk in columns if pk not in {session.pk for session in chosen})


def test_recoveries_found_as_they_were_stored_cost_no_write(varied_recoveries):
    pks = list(Recovery.objects.values_list("pk", flat=True))
    # The catalogue changed under one of them since its last report: that one is written.
    assessment.recoveries_assess(pks=pks)

    with CaptureQueriesContext(connection) as queries:
        assessment.recoveries_assess(pks=pks)

    assert [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")] == []


@pytest.mark.parametrize("count", [1, 10])
def test_assessing_many_takes_the_same_few_queries_however_many(
    varied_recoveries, count, django_assert_max_num_queries
):
    pks = list(Recovery.objects.values_list("pk", flat=True))[:count]

    # Lock and read the recoveries, their reports (reactions, flags, marks on the chart), check-ins,
    # staff notes and catalogues, then write them: one query each, in a savepoint.
    with django_assert_max_num_queries(12):
        assert assessment.recoveries_assess(pks=pks) == count
