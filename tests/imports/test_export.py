import hashlib
import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from clinics.models import Role
from imports.columns import KINDS
from photos.models import Photo, PhotoSource
from photos.services import photo_storage
from trail.models import FileTransfer, TransferDirection
from trail.services import file_transfer_record

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


def _session_photo(session, by) -> Photo:
    photo_storage().save("exported/face.jpg", ContentFile(b"\xff\xd8 a photo \xff\xd9"))
    return Photo.objects.create(
        session=session,
        area="face",
        source=PhotoSource.SESSION,
        added_by=by,
        image_name="exported/face.jpg",
        thumbnail_name="exported/face-thumbnail.jpg",
        width=10,
        height=10,
    )


def test_the_photos_are_in_the_zip_only_when_asked_for(client_for, mary, harbour, alice):
    session = TreatmentSessionFactory(patient__clinic=harbour, practitioner=alice)
    photo = _session_photo(session, alice)

    _response, without = _download(client_for(mary), harbour)
    _response, with_photos = _download(client_for(mary), harbour, with_photos="on")

    with zipfile.ZipFile(io.BytesIO(without)) as archive:
        assert not [name for name in archive.namelist() if name.startswith("photos/")]
    with zipfile.ZipFile(io.BytesIO(with_photos)) as archive:
        assert archive.read(f"photos/{session.pk}/face-{photo.pk}.jpg") == b"\xff\xd8 a photo \xff\xd9"
    assert [transfer.counts.get("photos") for transfer in FileTransfer.objects.order_by("at")] == [None, 1]


def test_the_trail_lists_the_clinics_exports_and_not_another_clinics(client_for, mary, harbour, riverside, bob):
    _download(client_for(mary), harbour)
    file_transfer_record(
        clinic_id=riverside.pk,
        user=bob,
        direction=TransferDirection.IMPORT,
        file_name="theirs.csv",
        sha256="0" * 64,
        counts={},
    )

    page = client_for(mary).get(reverse("audits:file_transfers"))

    transfer = FileTransfer.objects.get(clinic=harbour)
    assert page.content.count(b'data-testid="file-transfer"') == 1
    assert transfer.sha256.encode() in page.content
    assert b"theirs.csv" not in page.content
