"""The install `make run` makes, on SQLite, backed up and restored into a new database file by the commands
`make backup` and `make restore` run: its patients come back, and its photos open."""

import os
from pathlib import Path

from .test_restore_on_postgresql import manage

MAKE_RECORD = """
from photos import images, services
from tests import images as pictures
from tests.factories import MembershipFactory, PatientFactory, TreatmentSessionFactory
membership = MembershipFactory()
patient = PatientFactory(clinic=membership.clinic, first_name="Saskia", consents_to_photos=True)
session = TreatmentSessionFactory(patient=patient, practitioner=membership.user)
services.session_photos_add(
    session=session,
    entries=[services.PhotoEntry(image=images.safe_image(pictures.png()), area="face")],
    added_by=membership.user,
)
"""
READ_BACK = """
from patients.models import Patient
from tests.backups.figures import photos_read
print(list(Patient.objects.values_list("first_name", flat=True)), photos_read())
"""


def install(folder: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'recovery-desk.sqlite3'}",
        "PHOTO_ROOT": str(folder / "photos"),
        "MEDIA_ROOT": str(folder / "media"),
        "BACKUP_DIR": str(folder / "backups"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }


def test_a_sqlite_install_restored_into_a_new_database_file_has_its_patients_and_photos(tmp_path):
    (tmp_path / "original").mkdir()
    # On a new machine: not even the database file's folder is there yet.
    original, restored = install(tmp_path / "original"), install(tmp_path / "restored")
    manage(original, "migrate", "--noinput")
    manage(original, "shell", "-c", MAKE_RECORD)
    manage(original, "backup")
    (backup,) = (tmp_path / "original" / "backups").iterdir()

    manage(restored, "restore", str(backup))

    read_back = manage(restored, "shell", "-c", READ_BACK).strip().splitlines()[-1]
    assert read_back == manage(original, "shell", "-c", READ_BACK).strip().splitlines()[-1]
    assert read_back.startswith("['Saskia'] [[")
