from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.safety import refuse_where_texts_are_sent
from demo.scale import ScaleGenerator, progress_bar
from demo.scale_clinics import GROUPS
from treatments.models import TreatmentSession


class Command(BaseCommand):
    help = "Fill the database with a clinic group's worth of sessions, for the benchmark and the load test."

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=100_000, help="How many sessions [100000].")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for the same data each time.")
        parser.add_argument(
            "--groups",
            type=int,
            default=GROUPS,
            help=f"Clinic groups, beyond a million sessions: the benchmark's and its neighbours [{GROUPS}].",
        )
        parser.add_argument(
            "--processes", type=int, default=2, help="Worker processes writing chunks, on PostgreSQL [2]."
        )

    def handle(self, *args, sessions, seed, groups, processes, **options):
        if sessions < 1:
            raise CommandError("--sessions must be at least 1.")
        if groups < 1:
            raise CommandError("--groups must be at least 1.")
        refuse_where_texts_are_sent()
        if TreatmentSession.objects.exists():
            raise CommandError("The database already holds sessions: seed_scale fills an empty one.")
        started = timezone.now()
        with progress_bar(sessions, self.stdout) as bar:
            ScaleGenerator(
                sessions=sessions, seed=seed, progress=bar, processes=processes, groups=groups, say=bar.write
            ).run()
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(f"{sessions} sessions in {seconds:.0f} s.")
