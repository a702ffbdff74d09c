from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups.errors import BackupRefused
from backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API), the photos and prepared exports kept in local "
        "folders, and a manifest of their SHA-256, into a new folder under BACKUP_DIR; keep the newest BACKUP_KEEP."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", type=Path, default=None, help="Instead of BACKUP_DIR.")
        parser.add_argument("--keep", type=int, default=None, help="Instead of BACKUP_KEEP.")

    def handle(self, *args, directory, keep, **options):
        try:
            made = backup_create(
                backup_dir=Path(directory or settings.BACKUP_DIR), keep=settings.BACKUP_KEEP if keep is None else keep
            )
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"Backed up {made.files} files into {made.path}")
        for old in made.removed:
            self.stdout.write(f"Removed the older backup {old.name}")
