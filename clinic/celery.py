import logging.config
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def use_the_projects_logging(**kwargs):
    """The worker and beat log through the project's handler, which hides patients' secrets,
    rather than through the handlers Celery would install."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
