from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from imports import services
from imports.models import ImportMapping, ImportRun, RunStatus
from imports.tasks import fail_stuck_imports
from patients.models import Patient
from tests.factories import BatchFactory, PatientFactory
from trail.models import FileTransfer
from treatments.models import TreatmentSession

from .files import csv_file, kind_file, xlsx_file
from .pages import FRENCH_MAPPING, SESSION_MAPPING, import_started, mapped, patients_file, upload_of


def test_a_latin1_semicolon_file_is_imported_from_upload_to_done(
    client_for, mary, harbour, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    response = import_started(client, harbour, content=patients_file(delimiter=";", encoding="cp1252"))
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:files", args=[run.pk])

    response = client.get(reverse("imports:mapping", args=[run.pk]))
    assert response.status_code == 200
    response = mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    assert response.url == reverse("imports:progress", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEWED

    response = client.get(reverse("imports:preview", args=[run.pk]))
    assert response.status_code == 200
    assert Patient.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:preview", args=[run.pk]), {})
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.counts["patients"]["create"] == 2
    assert sorted(Patient.objects.values_list("first_name", "phone")) == [
        ("Zoé", "+447400123456"),
        ("Élodie", "+447400123457"),
    ]
    transfer = FileTransfer.objects.get()
    assert (transfer.file_name, transfer.user) == ("patients.csv", mary)
    assert len(transfer.sha256) == 64
    page = client.get(reverse("imports:progress", args=[run.pk]))
    assert b'data-testid="import-done"' in page.content
    assert b"hx-get" not in page.content


def test_the_mapping_is_saved_and_offered_for_the_next_file_from_the_same_source(
    client_for, mary, harbour, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    mapped(client, ImportRun.objects.get(), django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    assert ImportMapping.objects.get(source="OldDesk", kind="patients").mapping["first_name"] == "Prénom"

    import_started(client, harbour, content=patients_file())
    second = ImportRun.objects.filter(status=RunStatus.COLLECTING).get()
    page = client.get(reverse("imports:mapping", args=[second.pk]))

    assert page.context["form"]["patients__first_name"].initial == "Prénom"
    assert page.context["form"]["patients__date_of_birth"].initial == "Né le"


def test_a_file_with_our_own_column_names_is_mapped_by_itself(client_for, mary, harbour):
    client = client_for(mary)
    import_started(client, harbour, content=kind_file("patients", {"external_id": "P1"}))
    page = client.get(reverse("imports:mapping", args=[ImportRun.objects.get().pk]))

    assert page.context["form"]["patients__date_of_birth"].initial == "date_of_birth"


def test_a_required_column_left_unmatched_is_refused(client_for, mary, harbour, django_capture_on_commit_callbacks):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    response = mapped(
        client, run, django_capture_on_commit_callbacks, **{**FRENCH_MAPPING, "patients__date_of_birth": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["patients__date_of_birth"]
    run.refresh_from_db()
    assert run.status == RunStatus.COLLECTING


def test_refused_lines_are_listed_with_their_line_and_nothing_is_written(
    client_for, mary, harbour, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    content = csv_file(
        [
            ["Numéro", "Prénom", "Nom", "Né le", "Portable"],
            ["P1", "Zoé", "Lefèvre", "14/07/1985", ""],
            ["P2", "Élodie", "Müller", "31/02/1990", "12"],
        ]
    )
    import_started(client, harbour, content=content)
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)

    page = client.get(reverse("imports:preview", args=[run.pk]))
    assert [(problem["line"], problem["header"]) for problem in page.context["refusals"]] == [
        (3, "date_of_birth"),
        (3, "phone"),
    ]
    assert "“31/02/1990” is not a date" in page.context["refusals"][0]["message"]
    assert page.context["refusals"][0]["file_header"] == "Né le"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {})
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEWED
    assert not Patient.objects.exists()


def test_a_batch_used_after_its_expiry_is_imported_once_the_warning_is_confirmed(
    client_for, mary, alice, harbour, booster, django_capture_on_commit_callbacks
):
    BatchFactory(product=booster, lot_number="OLD-1", expiry_date=date(2024, 12, 31), received_on=date(2024, 1, 1))
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    content = kind_file(
        "sessions",
        {
            "external_id": "S1",
            "patient_external_id": "P1",
            "performed_at": "10/01/2025 10:00",
            "practitioner_email": alice.email.upper(),
            "technique": "Nappage",
            "areas": "Visage|Cou",
            "product_gtin": "3700000000013",
            "lot_number": "old-1",
            "volume_ml": "1,0",
        },
        delimiter=";",
    )
    client.post(reverse("imports:files", args=[run.pk]), {"kind": "sessions", "upload": upload_of("s.csv", content)})
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING, **SESSION_MAPPING)
    run.refresh_from_db()
    assert run.plan["refusals"] == []
    assert [(warning["line"], warning["code"]) for warning in run.plan["warnings"]] == [(2, "expired_at_use")]

    with django_capture_on_commit_callbacks(execute=True):
        unconfirmed = client.post(reverse("imports:preview", args=[run.pk]), {})
    assert unconfirmed.context["form"].errors["warnings_confirmed"]
    assert not TreatmentSession.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {"warnings_confirmed": "on"})

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    session = TreatmentSession.objects.get()
    assert session.external_id == "S1"
    assert sorted(session.areas.values_list("area", flat=True)) == ["face", "neck"]
    assert [(use.batch.lot_number, use.expired_at_use) for use in session.products_used.all()] == [("OLD-1", True)]


def test_an_xlsx_with_date_cells_and_serials_is_read(client_for, mary, harbour, django_capture_on_commit_callbacks):
    client = client_for(mary)
    content = xlsx_file(
        [
            ["external_id", "first_name", "last_name", "date_of_birth"],
            ["P1", "Zoé", "Lefèvre", datetime(1985, 7, 14)],
            ["P2", "Ana", "Silva", 32874],
        ]
    )
    import_started(client, harbour, name="patients.xlsx", content=content)
    run = ImportRun.objects.get()
    mapping = {f"patients__{name}": name for name in ("external_id", "first_name", "last_name", "date_of_birth")}
    mapped(client, run, django_capture_on_commit_callbacks, **mapping)
    run.refresh_from_db()

    assert [row["date_of_birth"] for row in run.plan["rows"]["patients"]] == ["1985-07-14", "1990-01-01"]


def test_a_session_still_in_recovery_is_followed_or_closed_as_chosen(
    client_for, mary, alice, harbour, booster, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0), tick=False)
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    lines = [
        {
            "external_id": number,
            "patient_external_id": "P1",
            "performed_at": when,
            "practitioner_email": alice.email,
            "technique": "nappage",
            "areas": "face",
        }
        for number, when in (("S-OLD", "2026-01-10 10:00"), ("S-NEW", "2026-06-10 10:00"))
    ]
    client.post(
        reverse("imports:files", args=[run.pk]),
        {"kind": "sessions", "upload": upload_of("s.csv", kind_file("sessions", *lines))},
    )
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING, **SESSION_MAPPING)

    page = client.get(reverse("imports:preview", args=[run.pk]))
    assert [session.session_external_id for session in page.context["plan"].in_recovery] == ["S-NEW"]
    refused = client.post(reverse("imports:preview", args=[run.pk]), {})
    assert refused.context["form"].errors["recovery__S-NEW"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {"recovery__S-NEW": "follow"})

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.decisions["follow"] == ["S-NEW"]
    followed = TreatmentSession.objects.get(external_id="S-NEW").recovery
    closed = TreatmentSession.objects.get(external_id="S-OLD").recovery
    assert followed.closed_at is None
    assert closed.closed_at is not None


def test_nothing_is_written_when_the_record_changed_since_the_preview(
    client_for, mary, harbour, django_capture_on_commit_callbacks
):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    meanwhile = PatientFactory(clinic=harbour, external_id="P1", first_name="Other")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {})

    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "changed_since_preview")
    assert list(Patient.objects.all()) == [meanwhile]
    assert not FileTransfer.objects.exists()
    page = client.get(reverse("imports:progress", args=[run.pk]))
    assert "changed since the preview" in page.content.decode()


def test_a_same_person_answer_keeps_the_stored_patient(client_for, mary, harbour, django_capture_on_commit_callbacks):
    stored = PatientFactory(clinic=harbour, first_name="Zoe", last_name="Lefevre", date_of_birth=date(1985, 7, 14))
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)

    page = client.get(reverse("imports:preview", args=[run.pk]))
    assert b'data-testid="same-person"' in page.content
    unanswered = client.post(reverse("imports:preview", args=[run.pk]), {})
    assert unanswered.context["form"].errors["same__P1"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {"same__P1": "same"})

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert Patient.objects.count() == 2
    stored.refresh_from_db()
    assert stored.external_id == "P1"


def test_a_writing_that_fails_keeps_nothing_and_says_so(
    client_for, mary, harbour, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)

    def half_written(**kwargs):
        PatientFactory(clinic=harbour, external_id="P1")
        raise RuntimeError("the database went away")

    monkeypatch.setattr("imports.services.history_write", half_written)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {})

    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "write_failed")
    assert not Patient.objects.exists()
    assert not FileTransfer.objects.exists()


def test_a_session_still_in_recovery_shows_on_the_clinics_clock(
    client_for, mary, alice, harbour, django_capture_on_commit_callbacks, time_machine
):
    harbour.time_zone = "Europe/Paris"
    harbour.save(update_fields=["time_zone"])
    time_machine.move_to(datetime(2026, 6, 15, 12, 0), tick=False)
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    line = {
        "external_id": "S1",
        "patient_external_id": "P1",
        "performed_at": "2026-06-10 10:00",
        "practitioner_email": alice.email,
        "technique": "nappage",
        "areas": "face",
    }
    client.post(
        reverse("imports:files", args=[run.pk]),
        {"kind": "sessions", "upload": upload_of("s.csv", kind_file("sessions", line))},
    )
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING, **SESSION_MAPPING)

    page = client.get(reverse("imports:preview", args=[run.pk]))

    assert "10 June 2026 10:00" in page.content.decode()


def test_a_write_delivered_twice_writes_once(client_for, mary, harbour, django_capture_on_commit_callbacks):
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    run = ImportRun.objects.get()
    mapped(client, run, django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[run.pk]), {})

    services.import_run_write(run_id=run.pk)

    assert Patient.objects.count() == 2
    assert FileTransfer.objects.count() == 1


def test_a_run_past_its_tasks_time_limit_is_failed_and_says_so(
    client_for, mary, harbour, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(datetime(2026, 6, 15, 12, 0), tick=False)
    client = client_for(mary)
    import_started(client, harbour, content=patients_file())
    stuck = ImportRun.objects.get()
    mapped(client, stuck, django_capture_on_commit_callbacks, **FRENCH_MAPPING)
    ImportRun.objects.filter(pk=stuck.pk).update(status=RunStatus.CHECKING)
    time_machine.move_to(datetime(2026, 6, 15, 12, 24), tick=False)
    import_started(client, harbour, content=patients_file())
    recent = ImportRun.objects.exclude(pk=stuck.pk).get()
    ImportRun.objects.filter(pk=recent.pk).update(status=RunStatus.CHECKING, queued_at=timezone.now())
    time_machine.move_to(datetime(2026, 6, 15, 12, 26), tick=False)

    assert fail_stuck_imports() == 1

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert (stuck.status, stuck.error) == (RunStatus.FAILED, "did_not_finish")
    assert recent.status == RunStatus.CHECKING
    assert "did not finish in time" in client.get(reverse("imports:progress", args=[stuck.pk])).content.decode()
