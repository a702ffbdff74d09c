"""Deployment checks of our own, run by `check --deploy` beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Throttles count in the cache: one per process would let each gunicorn worker count alone."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The cache is kept per process, so the password-reset throttle counts per worker.",
                hint="Set CACHE_URL to the Redis server (redis://host:6379/1).",
                id="clinics.W001",
            )
        ]
    return []
