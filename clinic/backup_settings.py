"""Where `make backup` writes and how many it keeps (the backups app), read from the environment as
clinic/settings.py reads the rest, which imports them by name."""

from pathlib import Path

import environ

__all__ = ["BACKUP_DIR", "BACKUP_KEEP"]

env = environ.Env()

# A folder on this machine is lost with it: point BACKUP_DIR at another disk, or copy it away (README,
# "Backups"). Each backup holds the patients' records and photos, so it is written readable by its owner only.
BACKUP_DIR = env.path("BACKUP_DIR", default=Path(__file__).resolve().parent.parent / "var" / "backups")
# The newest backups kept; older ones are removed once a new one is complete.
BACKUP_KEEP = env.int("BACKUP_KEEP", default=7)
