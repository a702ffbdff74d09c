from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from kombu import Connection


class Command(BaseCommand):
    help = "Exit 0 when the Celery broker answers, 1 when it does not."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=2.0)

    def handle(self, *args, timeout, **options):
        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as connection:
                connection.ensure_connection(max_retries=1, timeout=timeout)
        except Exception as error:  # kombu raises transport-specific errors; any of them means "down".
            raise CommandError(f"The broker at {settings.CELERY_BROKER_URL} does not answer: {error}") from error
        self.stdout.write(f"The broker at {settings.CELERY_BROKER_URL} answers.")
