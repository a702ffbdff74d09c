"""`manage.py backup` and `manage.py restore` (make backup, make restore) on the suite's own database:
what a backup holds, how many are kept, and every restore refused before it changes anything."""

import json
import os
import re
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from backups import database, manifest, services, tools
from backups.errors import BackupRefused
from patients.models import Patient

from ..factories import PatientFactory

MOMENT = datetime(2026, 12, 7, 3, 15, tzinfo=UTC)
PHOTO = "ab/ab12cd.jpg"


@pytest.fixture
def photo(db):
    return storages["photos"].save(PHOTO, ContentFile(b"a photo's bytes"))


@pytest.fixture
def backup(tmp_path, photo, time_machine):
    time_machine.move_to(MOMENT, tick=False)
    call_command("backup", "--dir", str(tmp_path / "backups"), "--keep", "3")
    return tmp_path / "backups" / "recovery-desk-20261207-031500"


def manifest_of(backup: Path) -> dict:
    return json.loads((backup / "manifest.json").read_text())


def test_a_backup_holds_the_database_the_photos_and_the_hash_of_each_in_a_folder_named_for_its_moment(backup):
    written = manifest_of(backup)

    database_file = database.FILE_NAMES[connection.vendor]
    assert sorted(written["files"]) == [database_file, f"photos/{PHOTO}"]
    assert (backup / "photos" / PHOTO).read_bytes() == b"a photo's bytes"
    for name, described in written["files"].items():
        assert described["sha256"] == manifest.digest(backup / name)
    assert written["database"] == {"vendor": connection.vendor, "file": database_file}
    assert written["made_at"] == "2026-12-07T03:15:00+00:00"
    assert written["app"]["version"] == "0.1.0"
    assert "0001_initial" in written["migrations"]["recovery"]
    assert written["storages"] == {"photos": {"kept": "in this backup"}, "media": {"kept": "in this backup"}}


def test_a_backup_is_readable_by_its_owner_only(backup):
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700


def test_only_the_newest_backups_are_kept_and_nothing_else_in_the_folder_is_touched(tmp_path, time_machine, db):
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "notes.txt").write_text("copied to the other site on Mondays")
    (backups / "recovery-desk-20200101-000000").mkdir()  # not whole: no manifest
    for hour in range(4):
        time_machine.move_to(MOMENT + timedelta(hours=hour), tick=False)
        services.backup_create(backup_dir=backups, keep=2)

    assert sorted(path.name for path in backups.iterdir()) == [
        "notes.txt",
        "recovery-desk-20200101-000000",
        "recovery-desk-20261207-051500",
        "recovery-desk-20261207-061500",
    ]


def test_keeping_no_backup_is_refused_before_anything_is_written(tmp_path, db):
    with pytest.raises(BackupRefused, match="BACKUP_KEEP must be 1 or more"):
        services.backup_create(backup_dir=tmp_path / "backups", keep=0)

    assert not (tmp_path / "backups").exists()


def test_a_backup_that_fails_half_way_leaves_nothing_behind(tmp_path, monkeypatch, db):
    def failing(*, into):
        raise BackupRefused("the disk is full")

    monkeypatch.setattr(services, "files_copy", failing)

    with pytest.raises(BackupRefused, match="the disk is full"):
        services.backup_create(backup_dir=tmp_path / "backups", keep=2)

    assert list((tmp_path / "backups").iterdir()) == []


def test_a_restore_into_a_database_that_holds_tables_is_refused_and_changes_nothing(backup, harbour):
    PatientFactory(clinic=harbour, first_name="Kept")
    storages["photos"].delete(PHOTO)

    with pytest.raises(CommandError, match=r"already holds \d+ tables: nothing was restored"):
        call_command("restore", str(backup))

    assert list(Patient.objects.values_list("first_name", flat=True)) == ["Kept"]
    assert not storages["photos"].exists(PHOTO)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda path: path.write_bytes(b"another photo"), f"photos/{PHOTO} differs from the file that was backed up"),
        (lambda path: path.unlink(), f"photos/{PHOTO} is missing"),
    ],
)
def test_a_damaged_backup_is_refused_by_its_hashes_before_anything_is_restored(backup, harbour, damage, said):
    PatientFactory(clinic=harbour, first_name="Kept")
    storages["photos"].delete(PHOTO)
    damage(backup / "photos" / PHOTO)

    with pytest.raises(CommandError, match=re.escape(f"The backup is damaged, nothing was restored: {said}")):
        call_command("restore", str(backup), "--force")

    assert list(Patient.objects.values_list("first_name", flat=True)) == ["Kept"]
    assert not storages["photos"].exists(PHOTO)


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backup):
    written = manifest_of(backup)
    written["files"]["../elsewhere.txt"] = {"sha256": "0" * 64, "bytes": 0}
    (backup / "manifest.json").write_text(json.dumps(written))

    with pytest.raises(CommandError, match=r"\.\./elsewhere\.txt is outside the backup"):
        call_command("restore", str(backup), "--force")


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path, db):
    with pytest.raises(CommandError, match=r"holds no readable manifest\.json: it is not a complete backup"):
        call_command("restore", str(tmp_path))


def test_a_backup_made_by_a_later_release_is_refused_naming_the_migrations_this_code_lacks(backup, harbour):
    PatientFactory(clinic=harbour, first_name="Kept")
    written = manifest_of(backup)
    written["migrations"]["recovery"].append("9999_from_the_future")
    (backup / "manifest.json").write_text(json.dumps(written))

    with pytest.raises(CommandError, match=r"migrations this code does not know \(recovery\.9999_from_the_future\)"):
        call_command("restore", str(backup), "--force")

    assert list(Patient.objects.values_list("first_name", flat=True)) == ["Kept"]


def test_a_backup_of_another_kind_of_database_is_refused(backup):
    written = manifest_of(backup)
    written["database"]["vendor"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    (backup / "manifest.json").write_text(json.dumps(written))

    with pytest.raises(CommandError, match=f"DATABASE_URL names a {connection.vendor} one"):
        call_command("restore", str(backup), "--force")


def test_a_sqlite_copy_holds_what_was_committed_while_another_connection_writes(tmp_path):
    source, copy, restored = tmp_path / "app.sqlite3", tmp_path / "copy.sqlite3", tmp_path / "restored.sqlite3"
    with closing(sqlite3.connect(source)) as app:
        app.execute("CREATE TABLE report (note TEXT)")
        app.execute("INSERT INTO report VALUES ('committed')")
        app.commit()
        app.execute("INSERT INTO report VALUES ('still being written')")

        database.sqlite_copy(source=str(source), target=copy)
        app.rollback()
    database.sqlite_copy(source=str(copy), target=restored)

    with closing(sqlite3.connect(restored)) as read:
        assert read.execute("SELECT note FROM report").fetchall() == [("committed",)]


def executable(path: Path, text: str) -> Path:
    path.write_text(f"#!/bin/sh\n{text}\n")
    path.chmod(0o755)
    return path


def test_pg_dump_is_found_beside_pg_config_when_it_is_not_on_the_path(tmp_path, monkeypatch):
    on_path, bindir = tmp_path / "on-path", tmp_path / "postgresql" / "bin"
    on_path.mkdir()
    bindir.mkdir(parents=True)
    executable(on_path / "pg_config", f"echo {bindir}")
    pg_dump = executable(bindir / "pg_dump", "exit 0")
    monkeypatch.setenv("PATH", str(on_path))

    assert tools.postgresql_program("pg_dump") == str(pg_dump)


def test_a_missing_pg_dump_is_named_with_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupRefused, match=r"pg_dump was not found on PATH.*apt-get install postgresql-client"):
        tools.postgresql_program("pg_dump")


def test_the_postgresql_programs_are_given_the_password_in_their_environment_not_their_arguments():
    reached = database.postgresql_environment(
        {"NAME": "recovery_desk", "HOST": "db", "PORT": "5433", "USER": "recovery", "PASSWORD": "s3cret", "OPTIONS": {}}
    )

    assert (reached["PGHOST"], reached["PGPORT"], reached["PGUSER"], reached["PGDATABASE"], reached["PGPASSWORD"]) == (
        "db",
        "5433",
        "recovery",
        "recovery_desk",
        "s3cret",
    )
    assert reached["PATH"] == os.environ["PATH"]
