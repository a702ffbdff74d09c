from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Export
from recovery import complications
from recovery import services as recovery_services
from recovery.models import Notification
from recovery.notification_words import notification_words
from trail.models import RecordView
from treatments import services as treatment_services
from treatments.models import TreatmentSession

from ..factories import BatchFactory, MembershipFactory, PatientFactory, TreatmentSessionFactory

AUDIT = reverse("audits:index")


def report(session, *, red_flags=(), nodules=False):
    from recovery.models import ReactionType, RedFlagQuestion
    from recovery.rules import Severity

    nodule_type = ReactionType.objects.get(clinic=session.clinic, code="nodules")
    return recovery_services.report_create(
        session=session,
        reported_at=session.performed_at + timedelta(hours=30),
        reactions=[recovery_services.ReactionEntry(nodule_type, Severity.MILD)] if nodules else [],
        red_flags_present=list(RedFlagQuestion.objects.filter(clinic=session.clinic, code__in=red_flags)),
        red_flags_asked=[],
        wants_call=False,
        source=recovery_services.ReportSource.STAFF,
        recorded_by=session.practitioner,
    )


@pytest.fixture
def small_table(harbour, alice, mary, django_capture_on_commit_callbacks):
    """Ten sessions: Alice's four all reported a complication (one confirmed), Ben's six none."""
    ben = MembershipFactory(clinic=harbour, user__username="ben", user__first_name="Ben", user__last_name="B").user
    batch = BatchFactory(product__clinic=harbour, lot_number="HB-9")
    start = timezone.now() - timedelta(days=10)
    alices = [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            performed_at=start + timedelta(days=i),
            batches=[batch],
        )
        for i in range(4)
    ]
    bens = [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour), practitioner=ben, performed_at=start + timedelta(days=i)
        )
        for i in range(6)
    ]
    for index, session in enumerate(alices):
        # Each report is committed before the next, as in the clinic, so the batch-cluster check runs.
        with django_capture_on_commit_callbacks(execute=True):
            report(session, red_flags=["fever"]) if index % 2 else report(session, nodules=True)
    complications.complication_record(
        recovery=alices[0].recovery,
        complication_type="nodule",
        grade=2,
        recorded_by=alice,
    )
    return {"alice": alices, "ben": bens, "batch": batch}


def rates(row):
    return (
        row.sessions,
        row.reported.events,
        round(row.reported.low, 4),
        round(row.reported.high, 4),
        row.confirmed.events,
        round(row.confirmed.low, 4),
        round(row.confirmed.high, 4),
    )


def test_clinic_wide_rates_with_intervals_worked_by_hand(client_for, mary, small_table):
    reference = client_for(mary).get(AUDIT).context["reference"]

    # 4/10 reported: 0.1682–0.6873; 1/10 confirmed: 0.0179–0.4042 (Wilson, z = 1.96)
    assert rates(reference) == (10, 4, 0.1682, 0.6873, 1, 0.0179, 0.4042)


def test_rates_by_practitioner_include_all_events_and_zero_events(client_for, mary, small_table):
    rows = {row.label: row for row in client_for(mary).get(AUDIT).context["tables"]["practitioner"]}

    # Alice 4/4 reported: 0.5101–1.0; Ben 0/6: 0.0–0.3903
    assert rates(rows[f"Alice {small_table['alice'][0].practitioner.last_name}"]) == (
        4,
        4,
        0.5101,
        1.0,
        1,
        0.0456,
        0.6994,
    )
    assert rates(rows["Ben B"]) == (6, 0, 0.0, 0.3903, 0, 0.0, 0.3903)


def test_a_row_is_flagged_when_its_whole_interval_lies_above_the_clinic_rate(client_for, mary, small_table):
    rows = client_for(mary).get(AUDIT).context["tables"]["practitioner"]

    flagged = {row.label.split()[0]: row.reported_above for row in rows}
    assert flagged == {"Alice": True, "Ben": False}


def test_rows_under_twenty_sessions_are_small_samples(client_for, mary, small_table):
    page = client_for(mary).get(AUDIT).content.decode()

    assert "small sample" in page
    assert all(row.reported.small_sample for row in client_for(mary).get(AUDIT).context["tables"]["practitioner"])


def test_rates_by_session_in_the_series(client_for, mary, alice, harbour):
    patient = PatientFactory(clinic=harbour)
    start = timezone.now() - timedelta(days=30)
    sessions = [
        TreatmentSessionFactory(patient=patient, practitioner=alice, performed_at=start + timedelta(days=7 * i))
        for i in range(4)
    ]
    report(sessions[0], red_flags=["fever"])

    rows = client_for(mary).get(AUDIT).context["tables"]["series"]

    assert [(row.label, row.sessions, row.reported.events) for row in rows] == [
        ("1st session", 1, 1),
        ("2nd session", 1, 0),
        ("3rd and later", 2, 0),
    ]


def test_the_period_bounds_the_denominator(client_for, mary, small_table):
    today = timezone.localdate()
    reference = client_for(mary).get(AUDIT, {"start": today - timedelta(days=7), "end": today}).context["reference"]

    # Alice's sessions were 10 to 7 days ago, Ben's 10 to 5: from midnight 7 days ago, 1 + 3 remain.
    assert reference.sessions == 4


def test_audit_csv_gives_each_row_with_its_interval(client_for, mary, small_table):
    response = client_for(mary).get(reverse("audits:csv", args=["practitioner"]))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith('"Practitioner","Sessions","Patient-reported","Patient-reported rate"')
    assert lines[1] == '"All sessions","10","4","0.4000","0.1682","0.6873","1","0.1000","0.0179","0.4042","yes","no"'
    assert lines[-1] == '"Ben B","6","0","0.0000","0.0000","0.3903","0","0.0000","0.0000","0.3903","yes","no"'


def test_sessions_export_streams_every_session_with_its_story(client_for, mary, small_table, harbour):
    today = timezone.localdate()
    response = client_for(mary).get(
        reverse("audits:sessions_download"),
        {"clinic": str(harbour.pk), "start": today - timedelta(days=60), "end": today},
    )

    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 11
    assert any("Fever" in line for line in lines)
    assert any("Nodule (" in line for line in lines)


@pytest.mark.parametrize("sessions", [5, 40])
def test_audit_page_queries_do_not_grow_with_sessions(
    client_for, mary, harbour, alice, sessions, django_assert_max_num_queries
):
    batch = BatchFactory(product__clinic=harbour)
    for index in range(sessions):
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            batches=[batch],
            performed_at=timezone.now() - timedelta(days=index),
        )

    client = client_for(mary)

    with django_assert_max_num_queries(17):
        assert client.get(AUDIT).status_code == 200


def test_quarantine_blocks_the_batch_for_sessions_after_it(
    client_for, mary, alice, harbour_patient, small_table, time_machine
):
    from ..treatments.test_sessions import CREATE_URL, session_post

    batch = small_table["batch"]
    client_for(mary).post(reverse("batches:quarantine", args=[batch.pk]), {"reason": "Cluster of nodules"})
    time_machine.move_to(timezone.now() + timedelta(hours=2), tick=False)
    before = TreatmentSession.objects.count()

    response = client_for(alice).post(CREATE_URL, session_post(harbour_patient, alice, batch))

    assert response.context["entry"].products.forms[0].errors["batch"] == [
        "Lot HB-9 is quarantined and cannot be used: Cluster of nodules"
    ]
    assert TreatmentSession.objects.count() == before


def test_a_session_done_before_the_quarantine_can_still_be_recorded(
    client_for, mary, alice, harbour_patient, small_table, time_machine
):
    from ..treatments.test_sessions import CREATE_URL, session_post

    batch = small_table["batch"]
    treatment_services.batch_quarantine(batch=batch, reason="Recall", by=mary)
    time_machine.move_to(timezone.now() + timedelta(minutes=30), tick=False)
    yesterday = timezone.localtime(timezone.now() - timedelta(days=1), batch.product.clinic.zone)
    before = TreatmentSession.objects.count()

    client_for(alice).post(
        CREATE_URL,
        session_post(harbour_patient, alice, batch, **{"session-performed_at": yesterday.strftime("%Y-%m-%dT%H:%M")}),
    )

    assert TreatmentSession.objects.count() == before + 1


def test_quarantine_shows_on_its_sessions_and_lists_the_patients_to_contact(client_for, mary, small_table):
    batch = small_table["batch"]
    treatment_services.batch_quarantine(batch=batch, reason="Supplier recall", by=mary)
    client = client_for(mary)

    assert "Supplier recall" in client.get(small_table["alice"][0].get_absolute_url()).content.decode()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert page.count('data-testid="contact"') == 4
    contacts = b"".join(client.get(reverse("batches:contacts", args=[batch.pk])).streaming_content).splitlines()
    assert len(contacts) == 5


def test_quarantine_needs_a_reason(client_for, mary, small_table):
    batch = small_table["batch"]

    client_for(mary).post(reverse("batches:quarantine", args=[batch.pk]), {"reason": ""})

    batch.refresh_from_db()
    assert not batch.is_quarantined


def test_old_complications_do_not_make_a_cluster(harbour, alice, mary, time_machine):
    from audits.selectors import clustered_batch_ids

    batch = BatchFactory(product__clinic=harbour)
    for days_ago in (60, 58, 1):
        session = TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour),
            practitioner=alice,
            batches=[batch],
            performed_at=timezone.now() - timedelta(days=days_ago + 2),
        )
        report(session, red_flags=["fever"] if days_ago > 30 else ())
        report(session)

    assert clustered_batch_ids(clinic_ids=[harbour.pk], now=timezone.now(), threshold=2, days=14) == set()


def test_a_quarantined_batch_is_no_longer_pointed_out(mary, small_table, harbour):
    from audits.selectors import clustered_batch_ids

    treatment_services.batch_quarantine(batch=small_table["batch"], reason="Done", by=mary)

    assert clustered_batch_ids(clinic_ids=[harbour.pk], now=timezone.now(), threshold=3, days=14) == set()


def test_a_failed_export_says_so_and_stops_polling(mary, harbour, monkeypatch):
    from audits import services as audit_services

    export = Export.objects.create(
        clinic=harbour, requested_by=mary, start=timezone.localdate(), end=timezone.localdate()
    )

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(audit_services, "_write_export", broken)
    with pytest.raises(OSError, match="disk full"):
        audit_services.export_run(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == "failed"


def test_another_clinics_catalogue_history_is_not_shown_in_the_admin(client_for, mary, riverside):
    redness = riverside.reaction_types.get(code="redness")

    response = client_for(mary).get(reverse("admin:recovery_reactiontype_history", args=[redness.pk]))

    assert response.status_code == 404


def test_a_cluster_of_complications_on_a_batch_is_pointed_out_to_managers_once(client_for, mary, small_table, settings):
    settings.BATCH_CLUSTER_COMPLICATIONS = 3
    clusters = Notification.objects.filter(kind="batch_cluster")

    assert [n.recipient.username for n in clusters] == ["mary"]
    assert "HB-9" in notification_words(clusters.get())
    assert 'data-testid="cluster-mark"' in client_for(mary).get(AUDIT).content.decode()


def test_the_trail_records_a_change_and_a_view(client_for, mary, harbour_patient):
    client = client_for(mary)
    client.post(
        reverse("patients:edit", args=[harbour_patient.pk]),
        {
            "first_name": "Hannah",
            "last_name": "Harbour-Smith",
            "date_of_birth": "1985-02-20",
            "email": harbour_patient.email,
            "phone": harbour_patient.phone,
            "sensitivities": "",
            "consents_to_check_ins": "on",
        },
    )
    client.get(harbour_patient.get_absolute_url())

    entries = client.get(reverse("audits:patient_trail", args=[harbour_patient.pk])).context["entries"]

    change = next(e for e in entries if e.what == "Patient record changed")
    assert change.who == str(mary)
    assert ("last_name", "Harbour", "Harbour-Smith") in change.changes
    assert any(e.what.startswith("Record opened") and e.who == str(mary) for e in entries)
    assert RecordView.objects.filter(user=mary, patient=harbour_patient).exists()


def test_export_is_prepared_by_a_task_and_downloadable_by_the_clinics_managers_only(
    client_for, mary, bob, grace, small_table, harbour, riverside, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mary).post(
            reverse("audits:exports"), {"clinic": str(harbour.pk), "start": today - timedelta(days=60), "end": today}
        )
    export = Export.objects.get()

    assert response["Location"] == reverse("audits:export_detail", args=[export.pk])
    assert (export.status, export.done_rows, export.total_rows) == ("done", 10, 10)
    download = client_for(mary).get(reverse("audits:export_download", args=[export.pk]))
    assert b"".join(download.streaming_content).decode().count("\n") == 11
    other_manager = MembershipFactory(clinic=riverside, role="manager").user
    assert client_for(other_manager).get(reverse("audits:export_download", args=[export.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [AUDIT, reverse("audits:csv", args=["batch"]), reverse("audits:exports"), reverse("audits:sessions_download")],
)
def test_practitioners_get_403_on_audits_and_exports(client_for, alice, url):
    assert client_for(alice).get(url).status_code == 403


def test_practitioner_cannot_quarantine(client_for, alice, small_table):
    batch = small_table["batch"]

    assert client_for(alice).post(reverse("batches:quarantine", args=[batch.pk]), {"reason": "x"}).status_code == 403
    batch.refresh_from_db()
    assert not batch.is_quarantined


def test_managers_see_only_their_clinics_in_the_audit(client_for, mary, small_table, riverside_patient, bob):
    TreatmentSessionFactory(patient=riverside_patient, practitioner=bob)

    assert client_for(mary).get(AUDIT).context["reference"].sessions == 10


def test_a_manager_cannot_open_another_clinics_trail_or_quarantine_its_batch(
    client_for, mary, riverside_patient, riverside_batch
):
    client = client_for(mary)

    assert client.get(reverse("audits:patient_trail", args=[riverside_patient.pk])).status_code == 404
    assert client.post(reverse("batches:quarantine", args=[riverside_batch.pk]), {"reason": "x"}).status_code == 404


def test_the_audit_period_cannot_run_backwards(client_for, mary):
    response = client_for(mary).get(AUDIT, {"start": "2026-05-01", "end": "2026-04-01"})

    assert response.context["form"].errors["start"] == ["The start must be on or before the end."]
    assert "reference" not in response.context


def test_each_clinics_sessions_are_counted_by_its_own_calendar(client_for, grace, harbour, time_machine):
    from ..factories import ClinicFactory

    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 4, 10, 12, 0)), tick=False)
    new_york = ClinicFactory(name="Madison Skin", time_zone="America/New_York")
    MembershipFactory(user=grace, clinic=new_york, role="manager")
    late = timezone.make_aware(timezone.datetime(2026, 3, 31, 22, 0), new_york.zone)
    TreatmentSessionFactory(patient=PatientFactory(clinic=new_york), practitioner=grace, performed_at=late)

    march = client_for(grace).get(AUDIT, {"start": "2026-03-01", "end": "2026-03-31"}).context["reference"]
    april = client_for(grace).get(AUDIT, {"start": "2026-04-01", "end": "2026-04-10"}).context["reference"]

    assert (march.sessions, april.sessions) == (1, 0)


def test_a_manager_can_neither_read_nor_revert_a_past_version_in_the_admin(client_for, mary, harbour, riverside):
    from recovery.models import ReactionType

    for clinic in (harbour, riverside):
        redness = ReactionType.objects.get(clinic=clinic, code="redness")
        version = redness.history.first()
        url = reverse("admin:recovery_reactiontype_simple_history", args=[redness.pk, version.history_id])
        client = client_for(mary)

        assert client.get(url).status_code == 404
        assert client.post(url, {"staff_label": "HACKED"}).status_code == 404
        redness.refresh_from_db()
        assert redness.staff_label == "Redness"
