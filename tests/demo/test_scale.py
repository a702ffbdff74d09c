"""The generator and the benchmark at 2,000 sessions, so neither rots between the big runs."""

import random
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from clinics.models import Clinic, Membership, Role
from demo import bench, photo_bench
from demo.bulk_load import LOADED_MODELS, copy_rows, indexes_and_keys_set_aside
from demo.scale import ScaleGenerator
from messaging.channels import CODE_ALPHABET, CODE_LENGTH
from patients.models import Patient
from photos.models import PhotoUpload
from recovery.models import AuditTally, CheckIn, ReactionReport, Recovery
from recovery.services import recovery_assess
from treatments.models import Batch, SessionArea, SessionProduct, TreatmentSession

from ..audit_records import tallies_kept_equal_a_fresh_count, zone_tallies_counted_afresh, zone_tallies_kept
from ..factories import PatientFactory, TreatmentSessionFactory
from ..images import skin
from ..services import service_missing

SESSIONS = 2000
STORED_MOMENTS = ("attention_at", "unacknowledged_at", "overdue_at", "settled", "findings")


@pytest.fixture
def clinic_group(db):
    ScaleGenerator(sessions=SESSIONS, processes=1).run()


def test_the_generator_fills_a_clinic_group_with_series_reports_and_check_ins(clinic_group):
    sessions = TreatmentSession.objects.all()

    assert sessions.count() == SESSIONS
    assert Recovery.objects.count() == SESSIONS
    assert sessions.values("clinic").distinct().count() == 2
    assert sessions.filter(series_number__gte=2).exists()
    assert ReactionReport.objects.count() > SESSIONS
    assert CheckIn.objects.filter(status="planned").exists()
    assert Recovery.objects.filter(attention_at__isnull=False).exists()
    assert Recovery.objects.filter(patient_reported=True).exists()


def test_a_larger_host_keeps_the_benchmark_group_as_it_was_among_neighbour_groups(db):
    now = timezone.now()

    def bench_group():
        clinics = Clinic.objects.filter(memberships__user__username="scale.manager")
        return sorted(
            TreatmentSession.objects.filter(clinic__in=clinics).values_list(
                "clinic__name", "performed_at", "series_number", "recovery__findings"
            )
        )

    with transaction.atomic():
        ScaleGenerator(sessions=300, bench_group_sessions=300, now=now).run()
        alone = bench_group()
        transaction.set_rollback(True)
    ScaleGenerator(sessions=700, groups=3, bench_group_sessions=300, now=now).run()

    assert bench_group() == alone
    managers = Membership.objects.filter(role=Role.MANAGER)
    assert set(managers.values_list("user__username", flat=True)) == {
        "scale.manager",
        "scale.manager.2",
        "scale.manager.3",
    }
    neighbours = Clinic.objects.exclude(memberships__user__username="scale.manager")
    # Two groups of 200, in clinics no larger than the benchmark group's (150).
    assert [c.sessions.count() for c in neighbours.order_by("pk")] == [100, 100, 100, 100]
    for clinic in neighbours:
        assert list(managers.filter(clinic=clinic).values_list("user__username", flat=True)) != ["scale.manager"]
    assert AuditTally.objects.values("clinic_id").distinct().count() == Clinic.objects.count()


def test_neighbour_clinics_are_copies_of_the_benchmark_groups_that_the_engine_agrees_with(db):
    if connection.vendor != "postgresql":
        service_missing("neighbour clinics are copied in PostgreSQL's SQL (set DATABASE_URL)")
    ScaleGenerator(sessions=1000, groups=3, bench_group_sessions=400, processes=1).run()

    neighbours = Clinic.objects.exclude(memberships__user__username="scale.manager")
    # Two neighbour groups of 300 sessions, in clinics no larger than the benchmark's (200).
    assert [c.sessions.count() for c in neighbours] == [150, 150, 150, 150]
    assert TreatmentSession.objects.count() == 1000
    for clinic in neighbours:
        # Everything under a copied session is the copy clinic's own: staff, batches, catalogue.
        assert set(
            Recovery.objects.filter(clinic=clinic).values_list("practitioner__memberships__clinic", flat=True)
        ) == {clinic.pk}
        assert not SessionProduct.objects.filter(session__clinic=clinic).exclude(batch__product__clinic=clinic).exists()
        assert (
            not ReactionReport.objects.filter(session__clinic=clinic)
            .exclude(reactions__reaction_type__clinic=clinic)
            .filter(reactions__isnull=False)
            .exists()
        )
    codes = list(CheckIn.objects.exclude(code=None).values_list("code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)
    copied = Recovery.objects.filter(clinic__in=neighbours)
    sample = list(copied.exclude(findings=[]).values_list("pk", flat=True)[:100]) + list(
        copied.filter(findings=[]).values_list("pk", flat=True)[:20]
    )
    stored = {r.pk: [getattr(r, name) for name in STORED_MOMENTS] for r in Recovery.objects.filter(pk__in=sample)}
    for pk in sample:
        assessed = recovery_assess(recovery=Recovery(pk=pk))
        assert [getattr(assessed, name) for name in STORED_MOMENTS] == stored[pk]
    assert tallies_kept_equal_a_fresh_count()


def test_a_load_whose_row_points_nowhere_fails_when_its_keys_are_checked(db):
    if connection.vendor != "postgresql":
        service_missing("foreign keys are set aside on PostgreSQL only (set DATABASE_URL)")

    with pytest.raises(IntegrityError), indexes_and_keys_set_aside([SessionArea], say=lambda _line: None):
        copy_rows(SessionArea, ["session_id", "area", "description"], [(uuid.uuid4(), "face", "")])


def test_a_load_that_repeats_a_row_fails_though_its_primary_key_was_set_aside(db):
    if connection.vendor != "postgresql":
        service_missing("primary keys are set aside on PostgreSQL only (set DATABASE_URL)")
    patient = PatientFactory()
    again = (patient.pk, patient.clinic_id, "Another", "Name", patient.date_of_birth, timezone.now(), timezone.now())
    columns = ["id", "clinic_id", "first_name", "last_name", "date_of_birth", "created_at", "updated_at"]

    with pytest.raises(IntegrityError), indexes_and_keys_set_aside([Patient], say=lambda _line: None):
        copy_rows(Patient, columns, [again])


def test_the_generator_builds_again_every_index_and_key_it_set_aside_for_the_load(db):
    loaded = {model._meta.db_table for model in LOADED_MODELS}

    def indexes_and_keys():
        # Every table's: other tables' foreign keys that point at the loaded ones are set aside too.
        with connection.cursor() as cursor:
            return {
                (table, name, tuple(about["columns"]), about["unique"], about["foreign_key"])
                for table in connection.introspection.table_names(cursor)
                for name, about in connection.introspection.get_constraints(cursor, table).items()
                if about["index"] or about["unique"] or about["foreign_key"]
            }

    before = indexes_and_keys()
    ScaleGenerator(sessions=50, processes=1).run()

    assert indexes_and_keys() == before
    assert len([key for key in before if key[0] in loaded]) > 3 * len(loaded)
    assert any(key[3] and key[0] in loaded for key in before)
    assert any(key[4] and key[0] not in loaded and key[4][0] in loaded for key in before)


def test_the_generator_counts_the_audit_tallies_of_what_it_wrote(clinic_group):
    assert tallies_kept_equal_a_fresh_count()
    assert sum(AuditTally.objects.filter(dimension="series").values_list("sessions", flat=True)) == SESSIONS


def test_the_generator_counts_the_zone_tallies_of_what_it_wrote(clinic_group):
    kept, afresh = zone_tallies_kept(), zone_tallies_counted_afresh()

    assert kept == afresh
    assert kept


def test_what_the_generator_stores_is_what_the_engine_computes_from_the_rows(clinic_group):
    # Every recovery with findings (their moments come from reports and check-ins across the
    # seasons, so time zones show), and some without.
    with_findings = list(Recovery.objects.exclude(findings=[]).values_list("pk", flat=True)[:300])
    without = list(Recovery.objects.filter(findings=[]).values_list("pk", flat=True))
    sample = with_findings + random.Random(3).sample(without, 30)
    generated = {r.pk: [getattr(r, name) for name in STORED_MOMENTS] for r in Recovery.objects.filter(pk__in=sample)}

    for pk in sample:
        assessed = recovery_assess(recovery=Recovery(pk=pk))
        assert [getattr(assessed, name) for name in STORED_MOMENTS] == generated[pk]


def test_the_benchmark_times_every_page_beside_its_floor(clinic_group):
    if connection.vendor != "postgresql":
        service_missing("the benchmark's hand-written SQL is PostgreSQL's (set DATABASE_URL)")

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        # Photos each in a process of their own would not see this test's data: measured below.
        result = bench.run(runs=1, photos=False)

    assert [page["page"] for page in result["pages"]] == [case.name for case in bench.cases(bench.timezone.now())]
    assert all(page["queries"] > 0 and page["floor_ms"] > 0 for page in result["pages"])
    assert result["sweep"]["second_told"] == 0
    assert result["export"]["rows"] > 0
    assert "| dashboard, manager |" in bench.markdown(result)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        pages = bench.run(runs=1, pages_only=True)
    assert [page["page"] for page in pages["pages"]] == [page["page"] for page in result["pages"]]
    assert "Sweep" not in bench.markdown(pages)


def test_the_benchmark_reads_its_own_groups_pages_on_a_host_of_many_groups(db):
    if connection.vendor != "postgresql":
        service_missing("neighbour clinics are copied in PostgreSQL's SQL (set DATABASE_URL)")
    ScaleGenerator(sessions=3000, groups=3, bench_group_sessions=SESSIONS, processes=1).run()
    group = set(Clinic.objects.filter(memberships__user__username="scale.manager").values_list("pk", flat=True))

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        # Each page must answer the group's manager or practitioner: a refusal stops the run.
        pages = bench.run(runs=1, pages_only=True)

    cases = bench.cases(timezone.now())
    assert [page["page"] for page in pages["pages"]] == [case.name for case in cases]
    [batch_page] = [case for case in cases if case.name == "batch page"]
    assert Batch.objects.get(pk=batch_page.params["batch"]).product.clinic_id in group


def test_the_photo_benchmark_posts_photos_and_processes_each(harbour_patient, alice, monkeypatch, tmp_path):
    TreatmentSessionFactory(patient=harbour_patient, practitioner=alice, areas=["face"])
    monkeypatch.setattr(photo_bench, "INPUTS", tmp_path)
    small = photo_bench.Case("two phone JPEGs", "small.jpg", lambda path: skin((640, 480)).save(path, "JPEG"), 2)

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        [measured] = photo_bench.measure_photos([small], fork=False)

    assert (measured["case"], measured["photos_received"]) == ("two phone JPEGs", 2)
    assert measured["request_ms"] > 0
    assert measured["worst_photo_ms"] > 0
    assert measured["worst_photo_peak_mb"] is not None
    # Rolled back: the benchmark leaves the data as it found it.
    assert not PhotoUpload.objects.exists()
