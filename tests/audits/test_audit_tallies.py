"""The audit reads counts kept per clinic day as sessions, reports and complications are written.

Whatever path a change takes (a session logged, a session logged late, a report, a complication,
a catalogue change), the kept counts must equal a count made afresh from the recoveries.
"""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from recovery import complications
from recovery import services as recovery_services
from recovery.models import AuditTally, ReactionKind, ReactionType, TallyDay
from recovery.rules import Severity
from recovery.sessions import session_log
from treatments.models import Area, Technique
from treatments.services import AreaTreated, ProductUse

from ..audit_records import tallies_counted_afresh as counted_afresh
from ..audit_records import tallies_kept as kept
from ..factories import BatchFactory, PatientFactory

AUDIT = reverse("audits:index")


def log(patient, practitioner, performed_at, batches, areas=(Area.FACE,)):
    return session_log(
        patient=patient,
        practitioner=practitioner,
        recorded_by=practitioner,
        performed_at=performed_at,
        technique=Technique.NAPPAGE,
        areas=[AreaTreated(area) for area in areas],
        products=[ProductUse(batch, Decimal("1.00")) for batch in batches],
        aftercare=[],
    )


def staff_report(session, *, reaction_code, severity=Severity.MODERATE):
    reaction_type = ReactionType.objects.get(clinic=session.clinic, code=reaction_code)
    return recovery_services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=20),
        reactions=[recovery_services.ReactionEntry(reaction_type, severity)],
        red_flags_present=[],
        red_flags_asked=[],
        wants_call=False,
        source=recovery_services.ReportSource.STAFF,
        recorded_by=session.practitioner,
    )


@pytest.fixture
def busy_week(harbour, alice):
    """Two patients over a week: two products, two areas, a session logged late, reports, a complication."""
    now = timezone.now()
    first, second = BatchFactory(product__clinic=harbour), BatchFactory(product__clinic=harbour)
    ann, bea = PatientFactory(clinic=harbour), PatientFactory(clinic=harbour)
    sessions = [
        log(ann, alice, now - timedelta(days=6), [first, second], areas=(Area.FACE, Area.NECK)),
        log(ann, alice, now - timedelta(days=3), [first]),
        log(bea, alice, now - timedelta(days=3), [second], areas=(Area.SCALP,)),
    ]
    staff_report(sessions[0], reaction_code="nodules")
    staff_report(sessions[2], reaction_code="redness")
    complications.complication_record(
        recovery=sessions[1].recovery,
        complication_type="infection",
        grade=2,
        recorded_by=alice,
    )
    return {"sessions": sessions, "ann": ann, "batches": (first, second)}


def test_kept_counts_equal_a_fresh_count_after_every_kind_of_change(busy_week, alice):
    assert kept() == counted_afresh()
    assert len(kept()) > 0


def test_a_session_logged_late_moves_the_later_ones_up_the_series(client_for, mary, busy_week, alice):
    # Ann's session of four days ago, logged now, comes between her two: the one of three days ago is now her 3rd.
    log(busy_week["ann"], alice, timezone.now() - timedelta(days=4), [busy_week["batches"][0]])

    series = {row.label: row.sessions for row in client_for(mary).get(AUDIT).context["tables"]["series"]}
    assert series == {"1st session": 2, "2nd session": 1, "3rd and later": 1}
    assert kept() == counted_afresh()


def test_a_catalogue_change_recounts_the_sessions_it_makes_reported(client_for, mary, busy_week):
    reference = client_for(mary).get(AUDIT).context["reference"]
    assert reference.reported.events == 1
    redness = ReactionType.objects.get(clinic=busy_week["ann"].clinic, code="redness")
    redness.kind = ReactionKind.CONCERNING

    recovery_services.reaction_type_update(reaction_type=redness, changed_by=mary)

    assert client_for(mary).get(AUDIT).context["reference"].reported.events == 2
    assert kept() == counted_afresh()


def test_a_session_counts_once_under_each_product_and_area_it_used(client_for, mary, busy_week):
    context = client_for(mary).get(AUDIT).context

    areas = {row.label: row.sessions for row in context["tables"]["area"]}
    assert areas == {"Face": 2, "Neck": 1, "Scalp": 1}
    assert sum(row.sessions for row in context["tables"]["batch"]) == 4
    assert context["reference"].sessions == 3


def test_a_session_late_in_the_evening_counts_on_its_clinic_s_calendar(client_for, grace, alice, harbour):
    harbour.time_zone = "America/New_York"
    harbour.save()
    # 21:00 in New York on 31 January is 02:00 on 1 February in UTC: a January session for the clinic.
    evening = timezone.datetime(2026, 1, 31, 21, 0, tzinfo=harbour.zone)
    log(PatientFactory(clinic=harbour), alice, evening, [BatchFactory(product__clinic=harbour)])

    january = client_for(grace).get(AUDIT, {"clinic": harbour.pk, "start": "2026-01-01", "end": "2026-01-31"}).context
    february = client_for(grace).get(AUDIT, {"clinic": harbour.pk, "start": "2026-02-01", "end": "2026-02-28"}).context

    assert january["reference"].sessions == 1
    assert february["reference"].sessions == 0


def test_the_migration_counts_existing_sessions_as_the_writes_keep_them(busy_week):
    before = kept()
    AuditTally.objects.all().delete()
    TallyDay.objects.all().delete()
    editor = SimpleNamespace(connection=connection)

    import_module("recovery.migrations.0011_fill_recovery_day_and_audit_tallies").fill(apps, editor)
    import_module("recovery.migrations.0040_count_severity_tallies").fill(apps, editor)

    assert kept() == before
    assert any(row[2] == "severity" for row in before)
    assert TallyDay.objects.count() == 2


def test_an_audit_of_a_year_reads_the_same_few_queries_at_any_size(
    client_for, mary, harbour, alice, django_assert_max_num_queries
):
    batch = BatchFactory(product__clinic=harbour)
    for day in range(30):
        log(PatientFactory(clinic=harbour), alice, timezone.now() - timedelta(days=day + 1), [batch])
    client = client_for(mary)

    # A manager's session is read with the two-factor device that verified it.
    with django_assert_max_num_queries(16):
        response = client.get(AUDIT)

    assert response.context["reference"].sessions == 30
