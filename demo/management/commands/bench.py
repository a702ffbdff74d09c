import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from demo import bench
from treatments.models import TreatmentSession


class Command(BaseCommand):
    help = "Time every staff page beside its hand-written SQL on the generated data set (see seed_scale)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=bench.RUNS, help="Runs per page [5].")
        parser.add_argument(
            "--pages-only", action="store_true", help="Only the staff pages: to compare one size with another."
        )
        parser.add_argument("--json", dest="json_path", type=Path, help="Also write the results as JSON to this file.")

    def handle(self, *args, runs, pages_only, json_path: Path | None, **options):
        if not TreatmentSession.objects.exists():
            raise CommandError("No sessions: fill the database with `manage.py seed_scale` first.")
        # The test client's host, and static files without collectstatic's manifest: this process only.
        with override_settings(
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            result = bench.run(runs, pages_only=pages_only)
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(result, indent=2))
        self.stdout.write(bench.markdown(result))
