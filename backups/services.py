"""Backing up a single-machine install, and restoring it on this machine or a new one.

A backup is a folder named for its moment (`recovery-desk-20261207-031500`) holding the database's copy,
the photos and prepared exports kept in local folders, and `manifest.json`. It is written under a hidden
name and renamed when whole, so a backup stopped half-way is never restored nor counted as kept.
"""

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from .database import FILE_NAMES, database_copy, database_name, database_restore, database_tables, vendor
from .errors import BackupRefused
from .files import files_copy, files_restore
from .manifest import MANIFEST, manifest_check, manifest_write

PREFIX = "recovery-desk-"
NAMED = re.compile(rf"{PREFIX}\d{{8}}-\d{{6}}")

KEEP_AT_LEAST_ONE = "BACKUP_KEEP must be 1 or more: the backup just made is always kept."
ALREADY_THERE = "{path} already exists: a backup was made this second. Try again in a moment."
NOT_EMPTY = (
    "The database {name} already holds {count} tables: nothing was restored. Restore into an empty database, "
    "or with FORCE=1 (manage.py restore --force) to drop those tables and replace them with the backup's."
)
OTHER_DATABASE = (
    "This backup is of a {backed_up} database and DATABASE_URL names a {current} one: restore it into a "
    "{backed_up} database."
)


@dataclass(frozen=True)
class Made:
    path: Path
    files: int
    removed: list[Path]


@dataclass(frozen=True)
class Restored:
    database: str
    files: int
    made_at: str
    commit: str | None


def backup_create(*, backup_dir: Path, keep: int, now: datetime | None = None) -> Made:
    """Copy the database and the local files into a new backup, then keep only the newest `keep`."""
    if keep < 1:
        raise BackupRefused(KEEP_AT_LEAST_ONE)
    now = now or timezone.now()
    final = backup_dir / f"{PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S}"
    if final.exists():
        raise BackupRefused(ALREADY_THERE.format(path=final))
    backup_dir.mkdir(parents=True, exist_ok=True)
    # Readable by its owner only (mkdtemp's 0700): it holds every patient's record.
    partial = Path(tempfile.mkdtemp(prefix=f".{final.name}-", suffix=".partial", dir=backup_dir))
    try:
        # The database first: a photo added after its copy is an extra file, harmless; the other way round,
        # a photo added in between would be in the database and not in the backup.
        database = {"vendor": vendor(), "file": database_copy(into=partial)}
        storages = files_copy(into=partial)
        manifest = manifest_write(folder=partial, made_at=now, database=database, storages=storages)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Made(path=final, files=len(manifest["files"]), removed=backups_prune(backup_dir=backup_dir, keep=keep))


def backups_prune(*, backup_dir: Path, keep: int) -> list[Path]:
    """Remove whole backups beyond the newest `keep`; nothing else in the folder is touched."""
    whole = sorted(path for path in backup_dir.iterdir() if NAMED.fullmatch(path.name) and (path / MANIFEST).is_file())
    removed = whole[:-keep]
    for path in removed:
        shutil.rmtree(path)
    return removed


def backup_restore(*, backup: Path, force: bool) -> Restored:
    """Restore the backup into the configured database and storages, then migrate it to this release.

    Every file is checked against the manifest before anything is changed; an unsuited database (one that
    holds tables, without `force`; another kind of database) is refused, unchanged.
    """
    manifest = manifest_check(backup)
    backed_up = manifest["database"]["vendor"]
    if backed_up != vendor():
        raise BackupRefused(OTHER_DATABASE.format(backed_up=backed_up, current=connection.vendor))
    tables = database_tables()
    if tables and not force:
        raise BackupRefused(NOT_EMPTY.format(name=database_name(), count=len(tables)))
    database_restore(copy=backup / manifest["database"]["file"], replacing=tables)
    call_command("migrate", interactive=False, verbosity=0)
    database_file = FILE_NAMES[backed_up]
    files = files_restore(backup=backup, names=[name for name in manifest["files"] if name != database_file])
    return Restored(
        database=database_name(), files=files, made_at=manifest["made_at"], commit=manifest["app"]["commit"]
    )
