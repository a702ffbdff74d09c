"""The database's copy and its return: pg_dump and pg_restore for PostgreSQL, SQLite's own backup API for
SQLite. Both copies are consistent: pg_dump reads one snapshot, the backup API holds the file still while
it copies, so a request writing meanwhile is either wholly in the copy or not at all."""

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient

from .errors import BackupRefused
from .tools import postgresql_program

FILE_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}

UNSUPPORTED = "Backups are made of PostgreSQL and SQLite databases; DATABASE_URL names a {vendor} one."
PROGRAM_FAILED = "{program} failed (exit {code}): {error}"


def vendor() -> str:
    if connection.vendor not in FILE_NAMES:
        raise BackupRefused(UNSUPPORTED.format(vendor=connection.vendor))
    return connection.vendor


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


def postgresql_environment(settings: dict) -> dict[str, str]:
    """What pg_dump and pg_restore need to reach the database of these settings, passed in the environment
    as libpq reads it, so that the password never shows in a process list."""
    _arguments, secrets = DatabaseClient.settings_to_cmd_args_env(settings, [])
    environment = {**os.environ, **(secrets or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings.get(key):
            environment[variable] = str(settings[key])
    return environment


def _run(program: str, *arguments: str) -> None:
    result = subprocess.run(
        [postgresql_program(program), *arguments],
        env=postgresql_environment(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupRefused(PROGRAM_FAILED.format(program=program, code=result.returncode, error=result.stderr.strip()))


def database_copy(*, into: Path) -> str:
    """Write the database's copy into the folder; the name of the file written."""
    name = FILE_NAMES[vendor()]
    if connection.vendor == "postgresql":
        _run("pg_dump", "--format=custom", f"--file={into / name}")
    else:
        sqlite_copy(source=database_name(), target=into / name)
    return name


def sqlite_copy(*, source: str, target: Path) -> None:
    """A consistent copy of a SQLite database, whatever other connections are writing, in one step."""
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


def database_tables() -> list[str]:
    if connection.vendor == "sqlite" and not Path(database_name()).exists():
        # A new machine's: connecting would fail in a folder not made yet, or make an empty file.
        return []
    return connection.introspection.table_names()


def database_restore(*, copy: Path, replacing: list[str]) -> None:
    """Load the copy into the empty database; `replacing` names the tables to drop first (FORCE=1)."""
    if connection.vendor == "postgresql":
        if replacing:
            with connection.cursor() as cursor:
                quoted = ", ".join(connection.ops.quote_name(table) for table in replacing)
                cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        # In one transaction: a copy that fails half-way leaves the database as it was.
        _run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database_name()}",
            str(copy),
        )
    else:
        # The backup API replaces every page of the target, so there is nothing to drop first.
        connection.close()
        Path(database_name()).parent.mkdir(parents=True, exist_ok=True)
        source = closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True))
        with source as original, closing(sqlite3.connect(database_name())) as target:
            original.backup(target)
