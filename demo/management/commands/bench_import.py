from dataclasses import asdict

from django.core.management.base import BaseCommand

from demo import bench_import


class Command(BaseCommand):
    help = "Time an import of a clinic's history of N past sessions (read, checked, written), rolled back after."

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=bench_import.SCALE, help="Past sessions [100000].")

    def handle(self, *args, sessions: int, **options):
        measure = bench_import.measure_import(sessions)
        self.stdout.write(bench_import.markdown(asdict(measure)))
