import hashlib
import io
import zipfile
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from clinics.models import Role
from imports.columns import KINDS
from trail.models import FileTransfer, TransferDirection

from ..factories import MembershipFactory, PatientFactory, TreatmentSessionFactory, UserFactory


def _export_url(clinic):
    return reverse("imports_export:export", args=[clinic.pk])


def _download(client, clinic, **data):
    response = client.post(_export_url(clinic), data)
    assert response.status_code == 200, response.content[:500]
    return response, b"".join(response.streaming_content)


def test_a_manager_downloads_the_clinics_record_in_the_imports_own_columns(client_for, mary, harbour, alice):
    session = TreatmentSessionFactory(
        patient__clinic=harbour, practitioner=alice, performed_at=timezone.now() - timedelta(days=3)
    )

    response, content = _download(client_for(mary), harbour)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        assert {f"{code}.csv" for code in KINDS} <= names
        assert {
            "check_ins.csv",
            "follow_ups.csv",
            "reaction_catalogue.csv",
            "red_flag_questions.csv",
            "trail.csv",
        } <= names
        for code, kind in KINDS.items():
            header = archive.read(f"{code}.csv").decode().splitlines()[0]
            assert header == ",".join(f'"{name}"' for name in kind.names)
        sessions = archive.read("sessions.csv").decode()
    assert str(session.pk) in sessions
    assert alice.email in sessions


def test_the_export_is_in_the_trail_with_its_file_name_sha256_and_counts(client_for, mary, harbour, alice):
    TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice)

    response, content = _download(client_for(mary), harbour)

    transfer = FileTransfer.objects.get()
    assert (transfer.clinic, transfer.user, transfer.direction) == (harbour, mary, TransferDirection.EXPORT)
    assert transfer.sha256 == hashlib.sha256(content).hexdigest()
    assert transfer.file_name in response["Content-Disposition"]
    assert transfer.counts["sessions"] == 1
    assert transfer.counts["patients"] == 1


def test_a_formula_in_a_patients_name_is_written_as_text(client_for, mary, harbour):
    PatientFactory(clinic=harbour, last_name="=HYPERLINK(1)")

    _response, content = _download(client_for(mary), harbour)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert '"\'=HYPERLINK(1)"' in archive.read("patients.csv").decode()


def test_a_practitioner_cannot_export_and_nothing_is_written(client_for, alice, harbour):
    response = client_for(alice).post(_export_url(harbour))

    assert response.status_code == 403
    assert not FileTransfer.objects.exists()


def test_another_clinics_manager_cannot_export_it(client_for, harbour, riverside):
    outsider = UserFactory(username="oscar")
    MembershipFactory(user=outsider, clinic=riverside, role=Role.MANAGER)

    response = client_for(outsider).post(_export_url(harbour))

    assert response.status_code == 404
    assert not FileTransfer.objects.exists()


def test_the_clinic_settings_page_links_to_the_export(client_for, mary, harbour):
    page = client_for(mary).get(reverse("clinics:settings"))

    assert _export_url(harbour).encode() in page.content
