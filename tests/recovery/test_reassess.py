"""After an upgrade: stored moments follow rules that changed, and an unchanged release costs nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from recovery import reassessment
from recovery.models import Recovery, RulesApplied
from recovery.services import recovery_assess

from ..factories import PatientFactory, TreatmentSessionFactory


def reassess(*args):
    out = StringIO()
    call_command("recovery_reassess", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stale_recovery(harbour, alice):
    """A recovery whose stored deadline an older release computed differently."""
    session = TreatmentSessionFactory(
        patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=timezone.now() - timedelta(days=3)
    )
    right = recovery_assess(recovery=session.recovery).overdue_at
    make_stale(session.recovery)
    return session.recovery, right


def make_stale(recovery):
    Recovery.objects.filter(pk=recovery.pk).update(overdue_at=timezone.now() + timedelta(days=300))


def stored_deadline(recovery):
    return Recovery.objects.get(pk=recovery.pk).overdue_at


def test_the_first_run_applies_the_rules_to_every_recovery_and_remembers_them(stale_recovery):
    recovery, right = stale_recovery

    output = reassess()

    assert "1 recoveries assessed" in output
    assert stored_deadline(recovery) == right
    assert RulesApplied.objects.filter(fingerprint=reassessment.rules_fingerprint()).exists()


def test_a_release_with_the_same_rules_touches_no_recovery(stale_recovery, django_assert_max_num_queries):
    recovery, right = stale_recovery
    reassess()
    make_stale(recovery)

    with django_assert_max_num_queries(16):
        output = reassess()

    assert "nothing to do" in output
    assert stored_deadline(recovery) != right


def test_a_release_that_changes_the_rules_reassesses_again(stale_recovery, monkeypatch):
    recovery, right = stale_recovery
    reassess()
    make_stale(recovery)
    monkeypatch.setattr(reassessment, "rules_fingerprint", lambda: "a later release's rules")

    output = reassess()

    assert "1 recoveries assessed" in output
    assert stored_deadline(recovery) == right
    assert RulesApplied.objects.count() == 2


def test_all_reassesses_whatever_the_rules(stale_recovery):
    recovery, right = stale_recovery
    reassess()
    make_stale(recovery)

    assert "1 recoveries assessed" in reassess("--all")
    assert stored_deadline(recovery) == right


@pytest.mark.parametrize("count", [1, 12])
def test_a_release_that_changes_the_rules_reassesses_in_the_same_few_queries_however_many(
    harbour, alice, count, django_assert_max_num_queries
):
    sessions = [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=alice, performed_at=timezone.now() - timedelta(days=3)
        )
        for _ in range(count)
    ]
    right = [recovery_assess(recovery=session.recovery).overdue_at for session in sessions]
    for session in sessions:
        make_stale(session.recovery)

    with django_assert_max_num_queries(17):
        assert reassessment.reassess_all() == count

    assert [stored_deadline(session.recovery) for session in sessions] == right
