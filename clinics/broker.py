"""Whether the Celery broker answers: asked by `broker_ping` (make run) and by /health/."""

from django.conf import settings
from kombu import Connection


def broker_answers(*, timeout: float) -> Exception | None:
    """None when the broker answers within `timeout` seconds, else what went wrong."""
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as error:  # kombu raises transport-specific errors; any of them means "down".
        return error
    return None
