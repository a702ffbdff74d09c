"""Telling a clinic's managers that one of its webhook endpoints was turned off for failing.

Told once each time it is turned off: the notice is claimed on the endpoint's row before the
e-mails leave, so a task run twice, or the relay beside it, sends none again. Turning it on again
lets a later failure be told again. The e-mail names the address and links to its page; an
endpoint carries no patient's details.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clinics.models import Membership, Role
from messaging import delivery, handoff
from messaging.reach import REACHED

from .models import Endpoint, TurnedOff

log = logging.getLogger(__name__)


def _untold() -> Q:
    return Q(disabled_reason=TurnedOff.FAILING, managers_told_at__isnull=True)


def endpoints_off_untold(*, now: datetime | None = None) -> list:
    """Endpoints turned off whose managers were not told, older than the commit that handed them over."""
    now = now or timezone.now()
    return list(
        Endpoint.objects.filter(_untold(), disabled_at__lte=now - handoff.relay_grace()).values_list("pk", flat=True)
    )


def managers_tell_endpoint_off(*, endpoint_id, base_url: str, now: datetime | None = None) -> int:
    """E-mail each active manager of the endpoint's clinic, once. Returns how many e-mails left."""
    now = now or timezone.now()
    if not Endpoint.objects.filter(_untold(), pk=endpoint_id).update(managers_told_at=now):
        return 0
    endpoint = Endpoint.objects.select_related("clinic").get(pk=endpoint_id)
    clinic = endpoint.clinic
    link = base_url.rstrip("/") + reverse("webhooks:endpoint_detail", args=[endpoint.pk])
    managers = Membership.objects.filter(clinic=clinic, role=Role.MANAGER, user__is_active=True).select_related("user")
    sent = 0
    for manager in (membership.user for membership in managers):
        if not manager.email:
            continue
        with translation.override(manager.language or clinic.language):
            attempt = delivery.email_attempt(
                EmailMessage(
                    subject=_("Recovery Desk: a webhook of %(clinic)s was turned off") % {"clinic": clinic.name},
                    body=render_to_string(
                        "webhooks/endpoint_off_email.txt",
                        {
                            "clinic": clinic,
                            "endpoint": endpoint,
                            "link": link,
                            "hours": settings.WEBHOOK_DISABLE_AFTER_HOURS,
                        },
                    ),
                    to=[manager.email],
                    headers={"Message-ID": handoff.message_id("endpoint-off", f"{endpoint.pk}.{manager.pk}")},
                )
            )
        if attempt.result in REACHED:
            sent += 1
        else:
            log.error("Webhook endpoint %s: a manager could not be told it was turned off", endpoint_id)
    return sent
