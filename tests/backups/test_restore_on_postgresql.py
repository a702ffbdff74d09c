"""A clinic's record backed up with pg_dump and restored into an empty PostgreSQL database, as an operator
would on a new machine: the audit reads the same, and every photo opens.

Locally this skips without PostgreSQL; CI sets REQUIRE_SERVICES=1, so there it fails instead.
"""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from backups.services import backup_create
from photos import images
from photos import services as photo_services
from recovery import complications

from .. import images as pictures
from ..audits.test_audits import report
from ..factories import BatchFactory, PatientFactory, TreatmentSessionFactory
from ..services import service_missing
from .figures import figures

PROJECT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def empty_database_url():
    """A new PostgreSQL database on the suite's server, with nothing in it."""
    if connection.vendor != "postgresql":
        service_missing("restoring with pg_restore needs PostgreSQL (set DATABASE_URL)")
    server, _, _name = os.environ["DATABASE_URL"].rpartition("/")
    name = f"recovery_desk_restored_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clinic_record(harbour, alice):
    """Four sessions of one batch: two reported a complication, one confirmed; photos of two sessions."""
    batch = BatchFactory(product__clinic=harbour, lot_number="HB-7")
    start = timezone.now() - timedelta(days=10)
    sessions = [
        TreatmentSessionFactory(
            patient=PatientFactory(clinic=harbour, consents_to_photos=True),
            practitioner=alice,
            performed_at=start + timedelta(days=day),
            batches=[batch],
            areas=["face", "neck"],
        )
        for day in range(4)
    ]
    report(sessions[0], nodules=True)
    report(sessions[1], red_flags=["fever"])
    complications.complication_record(
        recovery=sessions[0].recovery, complication_type="nodule", grade=2, recorded_by=alice
    )
    for session in sessions[:2]:
        photo_services.session_photos_add(
            session=session,
            entries=[
                photo_services.PhotoEntry(image=images.safe_image(pictures.png()), area=area)
                for area in ("face", "neck")
            ],
            added_by=alice,
        )
    return sessions


def manage(environment, *arguments) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {arguments[0]}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_restored_into_an_empty_database_gives_the_same_audit_and_opens_every_photo(
    tmp_path, clinic_record, empty_database_url
):
    period = {"first_day": str(timezone.localdate() - timedelta(days=30)), "last_day": str(timezone.localdate())}
    original = figures(**period)
    made = backup_create(backup_dir=tmp_path / "backups", keep=2)
    restored_install = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": empty_database_url,
        "PHOTO_ROOT": str(tmp_path / "restored-photos"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }

    manage(restored_install, "restore", str(made.path))

    read_back = manage(
        restored_install,
        "shell",
        "-c",
        f"import json; from tests.backups.figures import figures; print(json.dumps(figures(**{period!r})))",
    )
    restored = json.loads(read_back.strip().splitlines()[-1])
    assert restored == json.loads(json.dumps(original))
    assert restored["audit"]["all"][2][:2] == [2, 4]
    assert restored["audit"]["all"][3][:2] == [1, 4]
    assert len(restored["photos"]) == 4
    assert all(image == recorded for _id, recorded, image, _thumbnail in restored["photos"])
