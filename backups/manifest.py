"""What a backup holds, written beside it: the release that made it, the migrations its database had, and
the SHA-256 of every file, checked before a restore changes anything."""

import hashlib
import json
import subprocess
import tomllib
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .errors import BackupRefused

MANIFEST = "manifest.json"
FORMAT = 1

NOT_A_BACKUP = "{folder} holds no readable {manifest}: it is not a complete backup."
FILES_DAMAGED = "The backup is damaged, nothing was restored: {problems}"
MISSING = "{name} is missing"
CHANGED = "{name} differs from the file that was backed up"
OUTSIDE = "{name} is outside the backup"
UNKNOWN_MIGRATIONS = (
    "The backup was made by a later release (commit {commit}): its database has migrations this code does not "
    "know ({migrations}). Deploy that release, or a later one, and restore again; nothing was restored."
)


def digest(path: Path) -> str:
    sha256 = hashlib.sha256()
    with path.open("rb") as content:
        while chunk := content.read(1024 * 1024):
            sha256.update(chunk)
    return sha256.hexdigest()


def _commit() -> str | None:
    """The checkout's commit, when the app runs from one; a release unpacked without git has none."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as project:
        return tomllib.load(project)["project"]["version"]


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def manifest_write(*, folder: Path, made_at: datetime, database: dict, storages: dict) -> dict:
    """Describe the folder's files, once every one of them is written."""
    files = {
        path.relative_to(folder).as_posix(): {"sha256": digest(path), "bytes": path.stat().st_size}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "made_at": made_at.isoformat(),
        "app": {"version": _version(), "commit": _commit(), "django": django.get_version()},
        "database": database,
        "migrations": applied_migrations(),
        "storages": storages,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def manifest_check(folder: Path) -> dict:
    """The manifest, once every file it lists is found as it was written; else refused, naming what is not."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupRefused(NOT_A_BACKUP.format(folder=folder, manifest=MANIFEST)) from None
    root = folder.resolve()
    problems = []
    for name, described in sorted(files.items()):
        path = (folder / name).resolve()
        if not path.is_relative_to(root):
            problems.append(OUTSIDE.format(name=name))
        elif not path.is_file():
            problems.append(MISSING.format(name=name))
        elif digest(path) != described["sha256"]:
            problems.append(CHANGED.format(name=name))
    if problems:
        raise BackupRefused(FILES_DAMAGED.format(problems="; ".join(problems)))
    unknown = _unknown_migrations(manifest.get("migrations", {}))
    if unknown:
        raise BackupRefused(
            UNKNOWN_MIGRATIONS.format(commit=manifest["app"].get("commit") or "unknown", migrations=", ".join(unknown))
        )
    return manifest


def _unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations the backup's database had that this code lacks: migrate could not bring it up to date."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in sorted(applied.items()) for name in names if (app, name) not in known]
