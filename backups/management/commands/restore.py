from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.errors import BackupRefused
from backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database DATABASE_URL names, which must be empty "
        "unless --force, and the photos and exports into their storages; then migrate. Every file is checked "
        "against the manifest first."
    )
    # The checks open the database, whose SQLite file's folder a new machine may not have yet; the
    # restore makes it, and the migrate that follows runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--force", action="store_true", help="Drop the database's tables first, if it has any, and restore."
        )

    def handle(self, *args, backup, force, **options):
        try:
            restored = backup_restore(backup=backup, force=force)
        except BackupRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Restored the backup of {restored.made_at} (commit {restored.commit or 'unknown'}) into "
            f"{restored.database}, with {restored.files} photo and export files, and migrated it."
        )
