"""Checks of our own, run by `check` (and `check --deploy`) beside Django's."""

from email.utils import parseaddr

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
            id="clinics.W006",
        )
        for name in on_utc
    ]


# Top-level domains that can receive no mail: reserved for tests and documentation (RFC 2606, RFC 6761).
NO_MAIL_DOMAINS = ("invalid", "test", "example", "localhost", "local")


@register(Tags.security, deploy=True)
def sender_patients_can_answer(app_configs, **kwargs):
    """Patients read their messages as from their clinic, and some answer them: the sender must be at
    a domain that receives mail, and the answer must reach a mailbox someone reads."""
    problems = []
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2].lower().rstrip(".")
    if not domain or any(domain == end or domain.endswith(f".{end}") for end in NO_MAIL_DOMAINS):
        problems.append(
            Warning(
                f"E-mails are sent from {domain or 'no address'}, a domain that receives no mail.",
                hint="Set DEFAULT_FROM_EMAIL to an address at the deployment's own domain "
                "(Recovery Desk <checkins@clinic-group.co.uk>); patients' e-mails carry their clinic's name.",
                id="clinics.W004",
            )
        )
    if not settings.REPLY_TO_EMAIL:
        problems.append(
            Warning(
                "A patient who answers a check-in e-mail writes to nobody.",
                hint="Set REPLY_TO_EMAIL to a mailbox the clinics read (each clinic may give its own in its settings).",
                id="clinics.W005",
            )
        )
    return problems
