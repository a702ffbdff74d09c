"""A list is walked a page at a time by following `next`: every row once, in the list's order; the
recoveries that need someone always first, whatever the page size and however old their session."""

import base64
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recovery.models import Recovery

from ..factories import PatientFactory, TreatmentSessionFactory

NOW = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 0))


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def walk(api, url, **params) -> tuple[list[dict], list[str]]:
    """Every row of the list, following `next`, and the moment each page was read as of."""
    rows, moments = [], []
    response = api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        rows.extend(page["results"])
        moments.append(page["as_of"])
        if page["next"] is None:
            return rows, moments
        response = api.get(page["next"])


def test_following_next_walks_every_row_once(api, harbour, riverside, clock):
    patients = [PatientFactory(clinic=harbour) for _ in range(7)]
    PatientFactory(clinic=riverside)

    rows, _moments = walk(api, reverse("api:patients"), page_size=3)

    assert [row["id"] for row in rows] == [str(p.pk) for p in sorted(patients, key=lambda p: p.pk, reverse=True)]


def test_rows_sharing_a_moment_are_neither_skipped_nor_repeated(api, harbour, alice, clock):
    sessions = [
        TreatmentSessionFactory(patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=NOW)
        for _ in range(5)
    ]

    rows, _moments = walk(api, reverse("api:sessions"), page_size=2)

    assert sorted(row["id"] for row in rows) == sorted(str(s.pk) for s in sessions)
    assert len(rows) == 5


def recoveries(harbour, alice, kinds):
    """One recovery per kind, its session `days_ago` days back, its stored moments set for that status."""
    made = {}
    for name, days_ago in kinds:
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=NOW - timedelta(days=days_ago)
        )
        since = NOW - timedelta(hours=days_ago)
        moments = {
            "waiting": {
                "attention_at": since,
                "unacknowledged_at": since,
            },
            "overdue": {"overdue_at": since},
            "on_track": {},
            "resolved": {"settled": True},
        }[name.rstrip("0123456789")]
        Recovery.objects.filter(pk=session.pk).update(**moments)
        made[name] = session
    return made


def test_recoveries_needing_someone_come_first_however_old_their_session(api, harbour, alice, clock):
    made = recoveries(
        harbour,
        alice,
        [("on_track1", 1), ("resolved1", 2), ("waiting1", 200), ("overdue1", 90), ("on_track2", 0), ("waiting2", 3)],
    )

    rows, _moments = walk(api, reverse("api:recoveries"), page_size=2)

    order = [row["session"] for row in rows]
    # Longest waiting first, then most overdue; then on track by how long since the session; resolved last.
    expected = ["waiting1", "waiting2", "overdue1", "on_track1", "on_track2", "resolved1"]
    assert order == [str(made[name].pk) for name in expected]
    assert [row["status"] for row in rows[:3]] == ["needs_attention", "needs_attention", "overdue"]


def test_a_period_never_leaves_out_a_recovery_needing_someone(api, harbour, alice, clock):
    made = recoveries(harbour, alice, [("waiting1", 200), ("on_track1", 60), ("on_track2", 1)])

    rows = api.get(reverse("api:recoveries"), {"period": "7"}).json()["results"]

    assert [row["session"] for row in rows] == [str(made["waiting1"].pk), str(made["on_track2"].pk)]


def test_a_status_chosen_lists_that_status_alone(api, harbour, alice, clock):
    made = recoveries(harbour, alice, [("waiting1", 2), ("overdue1", 3), ("on_track1", 1)])

    rows = api.get(reverse("api:recoveries"), {"status": "overdue"}).json()["results"]

    assert [row["session"] for row in rows] == [str(made["overdue1"].pk)]


def test_every_page_of_a_walk_is_read_as_of_its_first(api, harbour, alice, clock):
    made = recoveries(harbour, alice, [("waiting1", 3), ("on_track1", 1), ("on_track2", 2)])
    # The on-track recoveries turn overdue while the walk is under way.
    Recovery.objects.filter(pk__in=[made["on_track1"].pk, made["on_track2"].pk]).update(
        overdue_at=NOW + timedelta(minutes=1)
    )
    first = api.get(reverse("api:recoveries"), {"page_size": 1}).json()
    clock.shift(timedelta(minutes=5))

    rows, moments = walk(api, first["next"])

    assert [first["results"][0]["session"], *[row["session"] for row in rows]] == [
        str(made[name].pk) for name in ("waiting1", "on_track2", "on_track1")
    ]
    assert [row["status"] for row in rows] == ["on_track", "on_track"]
    assert set(moments) == {first["as_of"]}
    # A new walk reads them as they are now.
    assert [row["status"] for row in api.get(reverse("api:recoveries")).json()["results"]] == [
        "needs_attention",
        "overdue",
        "overdue",
    ]


def encoded(cursor: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        encoded({"after": [1]}),
        encoded({"after": ["x", "y"], "at": "2026-12-07T09:00:00+00:00"}),
        encoded({"after": ["x"], "at": "2026-12-07T09:00:00+00:00"}),
    ],
    ids=["not-a-cursor", "no-moment", "not-a-moment-and-an-id", "one-value-for-two-fields"],
)
def test_a_cursor_the_api_did_not_give_is_refused(api, harbour, clock, cursor):
    response = api.get(reverse("api:patients"), {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {
        "cursor": ["This cursor is not one the API gave: start again from the first page, without a cursor."]
    }
