"""API tokens: how another system reads (and, if allowed, writes) one clinic's record.

A token is shown once, when it is created; only its SHA-256 digest is kept, with a short prefix
that names it in lists and logs without being a secret.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinics.models import Clinic

TOKEN_NAME_MAX_LENGTH = 80


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")
    WEBHOOKS = "webhooks", _("Webhooks")


# What each scope lets the other system do, as the form offers it.
SCOPE_HELP = {
    Scope.READ: _("Read the clinic's patients, sessions, recoveries, reports, follow-ups, complications and batches"),
    Scope.WRITE: _("Add patients and log sessions"),
    Scope.WEBHOOKS: _("Be told when something happens (webhooks)"),
}


class ApiToken(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("clinic"))
    name = models.CharField(_("name"), max_length=TOKEN_NAME_MAX_LENGTH)
    # Not secret: it finds the token's row, whose digest is then compared in constant time.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    use_count = models.PositiveBigIntegerField(_("requests"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["clinic", "-created_at"], name="api_token_clinic_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_a_name"),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_later"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="api_token_revocation_names_who",
            ),
        ]

    def __str__(self) -> str:
        return _("API token “%(name)s” (%(prefix)s)") % {"name": self.name, "prefix": self.prefix}

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def last_day(self) -> date:
        """The last day it works, on its clinic's calendar: it stops at the end of that day."""
        return timezone.localdate(self.expires_at - timedelta(microseconds=1), self.clinic.zone)

    @property
    def scope_labels(self) -> list[str]:
        return [Scope(code).label for code in self.scopes if code in Scope.values]
