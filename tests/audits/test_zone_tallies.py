"""The zone map of the clinics' period reads counts kept per clinic day and zone. Whatever path a
change takes (a session, a report with marks, a complication, an erasure), the kept counts must equal
a count made afresh by the map's rules; and a map narrowed to a practitioner or a product, counted
from its sessions' rows, must agree with the kept counts where both count the same sessions."""

from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audits import erasure
from audits.zones import zone_map
from recovery import services
from recovery.marks import MarkEntry
from recovery.models import AuditTally, ReactionType, ZoneTally

from ..audit_records import zone_tallies_counted_afresh as counted_afresh
from ..audit_records import zone_tallies_kept as kept
from ..factories import BatchFactory
from .test_zone_map import confirmed, marked, treated

ZONE_MAP = reverse("audits:zones")


def on_the_day(session, zone):
    tally = ZoneTally.objects.get(clinic=session.clinic, day=session.recovery.performed_on, zone=zone)
    return tally.sessions, tally.reacted, tally.confirmed, tally.beyond


def test_a_session_counts_once_in_each_zone_it_treated_or_in_every_zone_of_its_areas(harbour, alice):
    lips = treated(harbour, alice, zones=["lips", "chin"])
    legacy = treated(harbour, alice, areas=["face", "neck"])

    assert kept() == counted_afresh()
    assert on_the_day(lips, "lips") == (2, 0, 0, 0)
    assert on_the_day(legacy, "neck_front") == (1, 0, 0, 0)
    assert not ZoneTally.objects.filter(zone="decolletage").exists()


def test_a_report_s_marks_count_where_they_fall_without_recounting_the_rest_of_the_day(harbour, alice):
    session = treated(harbour, alice, zones=["lips"])
    audit_rows = set(AuditTally.objects.values_list("pk", flat=True))

    # Mild redness is not a complication: only where it was marked changes.
    marked(session, redness="lips", swelling="chin")

    assert on_the_day(session, "lips") == (1, 1, 0, 0)
    assert on_the_day(session, "chin") == (0, 0, 0, 1)
    assert set(AuditTally.objects.values_list("pk", flat=True)) == audit_rows
    assert kept() == counted_afresh()


def test_a_red_flag_marked_and_a_complication_confirmed_count_in_the_session_s_zones(harbour, alice):
    legacy = treated(harbour, alice, areas=["face"])

    marked(legacy, skin_colour="periorbital_left")
    confirmed(legacy)

    assert on_the_day(legacy, "periorbital_left") == (1, 1, 1, 0)
    assert on_the_day(legacy, "lips") == (1, 0, 1, 0)
    assert kept() == counted_afresh()


def test_an_erased_patient_leaves_the_zone_counts_of_their_days(harbour, alice, mary):
    staying = treated(harbour, alice, zones=["lips"])
    going = treated(harbour, alice, zones=["lips", "chin"])
    marked(going, redness="chin")
    confirmed(going)

    erasure.patient_erase(patient=going.patient, erased_by=mary, reason="Asked for erasure in writing.")

    assert on_the_day(staying, "lips") == (1, 0, 0, 0)
    assert not ZoneTally.objects.filter(zone="chin").exists()
    assert kept() == counted_afresh()


def test_a_refused_report_changes_no_count(harbour, alice):
    session = treated(harbour, alice, zones=["lips"])
    marked(session, redness="lips")
    before = kept()
    redness = ReactionType.objects.get(clinic=harbour, code="redness")

    # A mark of a reaction the report does not report.
    with pytest.raises(ValidationError):
        services.report_create(
            session=session,
            reported_at=timezone.now(),
            reactions=[],
            red_flags_present=[],
            red_flags_asked=[],
            wants_call=False,
            source=services.ReportSource.STAFF,
            recorded_by=alice,
            marks=[MarkEntry("face_front", "chin", reaction_type=redness)],
        )

    assert kept() == before


def test_the_map_from_the_kept_counts_equals_the_map_from_the_rows(harbour, alice, riverside, bob):
    """Alice did every one of Harbour's sessions: narrowed to her, the map counts the same sessions
    from their rows."""
    batch = BatchFactory(product__clinic=harbour)
    lips = [treated(harbour, alice, days=days, zones=["lips"], batches=[batch]) for days in (2, 3, 40)]
    legacy = treated(harbour, alice, areas=["face", "neck"], batches=[batch])
    marked(lips[0], redness="lips")
    marked(lips[1], swelling="chin")
    marked(legacy, redness="cheek_left", skin_colour="periorbital_left", swelling="decolletage")
    confirmed(lips[2])
    confirmed(legacy)
    treated(riverside, bob, zones=["lips"])
    today = timezone.localdate()
    scope = {"clinic_ids": [harbour.pk], "first_day": today - timedelta(days=365), "last_day": today}

    kept_map = zone_map(**scope)
    hers = zone_map(**scope, practitioner_id=alice.pk)
    its = zone_map(**scope, product_id=batch.product.pk)

    assert kept_map == hers == its
    assert kept_map.sessions == 4
    assert next(z for z in kept_map.zones if z.code == "lips").reactions.events == 1


@pytest.mark.parametrize("sessions", [5, 40])
def test_the_map_of_the_clinics_period_reads_the_same_few_queries_at_any_size(
    client_for, mary, harbour, alice, sessions, django_assert_max_num_queries
):
    for index in range(sessions):
        session = treated(harbour, alice, days=index + 1, zones=["lips", "chin"] if index % 2 else ())
        if index % 5 == 0:
            marked(session, redness="lips", swelling="neck_front")
    client = client_for(mary)

    with django_assert_max_num_queries(14):
        response = client.get(ZONE_MAP)

    assert response.context["rates"].sessions == sessions


def test_the_migration_counts_existing_sessions_as_the_writes_keep_them(harbour, alice, riverside, bob):
    marked(treated(harbour, alice, zones=["lips"]), redness="chin")
    confirmed(treated(riverside, bob, areas=["face"]))
    before = kept()
    ZoneTally.objects.all().delete()
    migration = import_module("recovery.migrations.0042_fill_zone_tallies")

    migration.fill(apps, SimpleNamespace(connection=connection))

    assert kept() == before
    assert len(before) > 16
