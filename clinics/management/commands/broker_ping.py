from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinics.broker import broker_answers


class Command(BaseCommand):
    help = "Exit 0 when the Celery broker answers, 1 when it does not."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=2.0)

    def handle(self, *args, timeout, **options):
        if error := broker_answers(timeout=timeout):
            raise CommandError(f"The broker at {settings.CELERY_BROKER_URL} does not answer: {error}") from error
        self.stdout.write(f"The broker at {settings.CELERY_BROKER_URL} answers.")
