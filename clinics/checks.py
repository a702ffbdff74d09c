"""Checks of our own, run by `check` (and `check --deploy`) beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .models import Clinic

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
                "The cache is kept per process, so the password-reset and two-factor throttles count per worker.",
                hint="Set CACHE_URL to the Redis server (redis://host:6379/1).",
                id="clinics.W001",
            )
        ]
    return []


LOCAL_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "clinic.redaction.RedactingConsoleEmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


@register(Tags.security, deploy=True)
def emails_leave_in_production(app_configs, **kwargs):
    """E-mails kept on the server reach nobody, and put patients' check-in links in the log."""
    if settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
        return [
            Warning(
                "E-mails are written to the console or a file, not sent.",
                hint="Set EMAIL_URL to the mail server (smtp+tls://user:password@host:587).",
                id="clinics.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def two_factor_required(app_configs, **kwargs):
    """Patients' records behind a password alone: only the demo may run like that."""
    if not settings.TWO_FACTOR_REQUIRED:
        return [
            Warning(
                "Two-factor sign-in is not required: managers sign in with a password alone.",
                hint="Remove TWO_FACTOR_REQUIRED from the environment, or set it to 1.",
                id="clinics.W003",
            )
        ]
    return []


@register()
def clinics_have_their_own_clock(app_configs, **kwargs):
    """A clinic left on UTC sends New York's check-ins at 06:00 and shows every time off by hours."""
    try:
        on_utc = list(Clinic.objects.filter(time_zone__in=["UTC", "Etc/UTC"]).values_list("name", flat=True))
    except DatabaseError:
        return []  # Not migrated yet (migrate runs the checks first): nothing to look at.
    return [
        Warning(
            f"The clinic {name!r} is on UTC, not on its own clock.",
            hint="Choose its time zone under Clinic settings or in the admin.",
            id="clinics.W004",
        )
        for name in on_utc
    ]
