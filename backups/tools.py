"""PostgreSQL's own programs, pg_dump and pg_restore, found on this machine rather than named by a path."""

import shutil
import subprocess
from pathlib import Path

from .errors import BackupRefused

PROGRAM_MISSING = (
    "{program} was not found on PATH nor in the folder `pg_config --bindir` names: install PostgreSQL's client "
    "programs, of the server's major version or newer (Debian: apt-get install postgresql-client)."
)


def postgresql_program(program: str) -> str:
    """The path of pg_dump or pg_restore: on PATH first, else beside pg_config, where a PostgreSQL built or
    installed outside the system's folders keeps them."""
    if found := shutil.which(program):
        return found
    if pg_config := shutil.which("pg_config"):
        bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if bindir and (Path(bindir) / program).is_file():
            return str(Path(bindir) / program)
    raise BackupRefused(PROGRAM_MISSING.format(program=program))
