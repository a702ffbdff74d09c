"""A message to the patient by e-mail and text message, each channel once per row.

Check-ins and recovery guides are both rows with `emailed_at` and `texted_at`: a channel recorded
as gone is not sent again when the row is retried, and each attempt carries the row's own
Message-ID and idempotency key, so a repeat after a crash can be recognised (at least once; see
recovery.handoff).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from patients.phones import can_receive_texts

from . import handoff
from .text_messages import TextMessageRefused

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    # A channel has taken the message, now or on an earlier attempt.
    reached: bool
    # A channel failed in a way another attempt may mend.
    failed: bool


def text_message_backend():
    return import_string(settings.TEXT_MESSAGE_BACKEND)()


def deliver(*, row, kind: str, what: str, subject, templates: tuple[str, str], context: dict) -> Delivery:
    """Send `row`'s message to its session's patient by the channels not yet gone, in the patient's
    language whoever set the sending off.

    `kind` names the row in its Message-ID and idempotency key; `what` names it in the log;
    `subject` is a lazily translated text filled from `context`, as `templates` (the e-mail's and
    the text's) are.
    """
    with translation.override(row.session.patient.language_spoken):
        return _deliver(
            row=row, kind=kind, what=what, subject=str(subject) % context, templates=templates, context=context
        )


def _deliver(*, row, kind: str, what: str, subject: str, templates: tuple[str, str], context: dict) -> Delivery:
    patient = row.session.patient
    rows = type(row).objects.filter(pk=row.pk)
    email_template, text_template = templates
    reached = row.emailed_at is not None or row.texted_at is not None
    failed = False
    if patient.email and row.emailed_at is None:
        try:
            EmailMessage(
                subject=subject,
                body=render_to_string(email_template, context),
                to=[patient.email],
                headers={"Message-ID": handoff.message_id(kind, row.pk)},
            ).send()
            rows.update(emailed_at=timezone.now())
            reached = True
        except Exception:
            log.exception("%s %s: the e-mail could not be sent", what, row.pk)
            failed = True
    if patient.phone and row.texted_at is None:
        if not can_receive_texts(patient.phone):
            # A number kept from before numbers were checked: trying again would not help.
            log.warning("%s %s: the patient's number cannot receive texts; not texted", what, row.pk)
        else:
            try:
                text_message_backend().send(
                    to=patient.phone.as_e164,
                    body=render_to_string(text_template, context),
                    idempotency_key=handoff.idempotency_key(kind, row.pk),
                )
                rows.update(texted_at=timezone.now())
                reached = True
            except TextMessageRefused as refusal:
                log.error("%s %s: the text message was refused and is not tried again: %s", what, row.pk, refusal)
            except Exception:
                log.exception("%s %s: the text message could not be sent", what, row.pk)
                failed = True
    if not failed and not reached:
        log.error("%s %s: no e-mail address or mobile number can take it", what, row.pk)
    return Delivery(reached=reached, failed=failed)
