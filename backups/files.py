"""The files kept beside the database: the photos, and the exports prepared for managers to download.

A storage that is a folder on this machine is copied file by file. Photos kept in a bucket are not: the
bucket keeps them, with its own versioning (README, "Backups"). A restore writes through the storage, so
the files of a single-machine backup can go back into a folder or into a bucket alike.
"""

import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

from .errors import BackupRefused

# The folder of the backup each storage's files are copied to, and the storage's name in STORAGES.
STORAGES = {"photos": "photos", "media": "default"}

RENAMED = "The storage kept {name} as {saved}: restore into an empty folder or bucket."


def _folder_of(alias: str) -> Path | None:
    storage = storages[alias]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def files_copy(*, into: Path) -> dict[str, dict]:
    """Copy each storage that is a local folder into the backup; say how each storage keeps its files."""
    kept = {}
    for folder, alias in STORAGES.items():
        root = _folder_of(alias)
        if root is None:
            kept[folder] = {"kept": "elsewhere", "backend": type(storages[alias]).__name__}
            continue
        kept[folder] = {"kept": "in this backup"}
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                target = into / folder / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    return kept


def files_restore(*, backup: Path, names: list[str]) -> int:
    """Write the backup's files (their names in the manifest, checked) into their storages; how many.

    A file of the same name already there is replaced: names are random, so it can only be this file.
    """
    written = 0
    for name in names:
        folder, _, stored_name = name.partition("/")
        if folder not in STORAGES or not stored_name:
            continue
        storage = storages[STORAGES[folder]]
        if storage.exists(stored_name):
            storage.delete(stored_name)
        with (backup / name).open("rb") as content:
            saved = storage.save(stored_name, File(content))
        if saved != stored_name:
            # The database names the file: under another name it would be lost to the app.
            raise BackupRefused(RENAMED.format(name=stored_name, saved=saved))
        written += 1
    return written
