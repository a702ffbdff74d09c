"""A message to the patient by e-mail and text message, each channel once per row.

Check-ins and recovery guides are both rows with the outbox columns of `messaging.channels`: a channel
that has a result is not sent again when the row is retried, and each attempt carries the row's own
Message-ID and idempotency key, so a repeat after a crash can be recognised (at least once; see
messaging.handoff). What the other side answered decides what happens next: taken (sent), taken and
never confirmed (possibly sent, never repeated), refused for good (final, with the refusal kept),
or not now (tried again later, after its Retry-After if it gave one).
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from clinic.mail import MessagePossiblySent
from patients.phones import can_receive_texts
from patients.services import patient_texts_stopped

from . import handoff, health
from .reach import REACHED, Reach
from .sms import gsm7
from .text_messages import TextMessageNotSent, TextMessagePossiblySent, TextMessageRefused, TextMessageStopped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """What the other side made of one channel's message: a `Reach`, or none to try again."""

    result: str = ""
    retry_after: timedelta | None = None
    refusal: str = ""
    # Whether the server or provider answered at all (a refusal is an answer; a silence is not).
    answered: bool = True


@dataclass(frozen=True)
class Delivery:
    # A channel has reached the patient, or may have, now or on an earlier attempt.
    reached: bool
    # A channel failed in a way another attempt may mend.
    pending: bool
    # The longest the other side asked to be left alone, if it did.
    retry_after: timedelta | None = None


def text_message_backend():
    return import_string(settings.TEXT_MESSAGE_BACKEND)()


def email_attempt(message: EmailMessage) -> Attempt:
    """Send one e-mail: a 5xx answer is a refusal for good, a 4xx or no answer is "not now", and a
    message the server read whole and never confirmed is possibly sent."""
    try:
        message.send()
    except MessagePossiblySent:
        attempt = Attempt(Reach.UNCONFIRMED, answered=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = sorted({code for code, _text in error.recipients.values()})
        final = all(500 <= code < 600 for code in codes)
        attempt = Attempt(Reach.REFUSED if final else "", refusal=" ".join(str(code) for code in codes))
    except smtplib.SMTPResponseException as error:
        final = 500 <= error.smtp_code < 600
        attempt = Attempt(Reach.REFUSED if final else "", refusal=str(error.smtp_code))
    except OSError as error:  # smtplib's other errors are OSErrors too: a connection that failed
        log.warning("The mail server could not be reached", exc_info=True)
        attempt = Attempt(answered=False, refusal=type(error).__name__)
    else:
        attempt = Attempt(Reach.SENT)
    health.sender_seen(health.MAIL, answered=attempt.answered)
    return attempt


def text_attempt(*, to: str, body: str, idempotency_key: str) -> Attempt:
    try:
        text_message_backend().send(to=to, body=body, idempotency_key=idempotency_key)
    except TextMessagePossiblySent:
        attempt = Attempt(Reach.UNCONFIRMED, answered=False)
    except TextMessageStopped as stop:
        attempt = Attempt(Reach.STOPPED, refusal=str(stop).rsplit(": ", 1)[-1])
    except TextMessageRefused as refusal:
        attempt = Attempt(Reach.REFUSED, refusal=str(refusal).rsplit(": ", 1)[-1])
    except TextMessageNotSent as error:
        attempt = Attempt(retry_after=error.retry_after, answered=error.answered, refusal=str(error))
    except Exception as error:  # a backend of another kind, failing its own way: tried again
        log.warning("The text-message backend failed", exc_info=True)
        attempt = Attempt(answered=False, refusal=type(error).__name__)
    else:
        attempt = Attempt(Reach.SENT)
    health.sender_seen(health.TEXTS, answered=attempt.answered)
    return attempt


def patient_sender(clinic) -> tuple[str, list[str]]:
    """From the clinic, by name, at the deployment's own address; replies to a mailbox the clinic reads."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    reply_to = clinic.reply_to_email or settings.REPLY_TO_EMAIL
    return formataddr((clinic.name, address)), [reply_to] if reply_to else []


def deliver(*, row, kind: str, what: str, subject, templates: tuple[str, str], context: dict) -> Delivery:
    """Send `row`'s message to its session's patient by the channels not yet settled, in the
    patient's language whoever set the sending off.

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
    email_template, text_template = templates
    email = row.email_result or (Reach.SENT if row.emailed_at else "")
    text = row.text_result or (Reach.SENT if row.texted_at else "")
    attempts = []
    if not email:
        if not patient.email:
            email = _settled(row, "email", Attempt(Reach.MISSING))
        else:
            sender, reply_to = patient_sender(context["clinic"])
            message = EmailMessage(
                subject=subject,
                body=render_to_string(email_template, context),
                from_email=sender,
                to=[patient.email],
                reply_to=reply_to,
                headers={"Message-ID": handoff.message_id(kind, row.pk)},
            )
            attempts.append(attempt := email_attempt(message))
            email = _settled(row, "email", attempt)
            _log(what, row.pk, "e-mail", attempt)
    if not text:
        if not patient.phone:
            text = _settled(row, "text", Attempt(Reach.MISSING))
        elif patient.texts_stopped_at:
            text = _settled(row, "text", Attempt(Reach.STOPPED))
        elif not can_receive_texts(patient.phone):
            # A number kept from before numbers were checked: trying again would not help.
            log.warning("%s %s: the patient's number cannot receive texts; not texted", what, row.pk)
            text = _settled(row, "text", Attempt(Reach.NOT_MOBILE))
        else:
            body = gsm7(render_to_string(text_template, context).strip())
            attempt = text_attempt(
                to=patient.phone.as_e164, body=body, idempotency_key=handoff.idempotency_key(kind, row.pk)
            )
            attempts.append(attempt)
            text = _settled(row, "text", attempt)
            _log(what, row.pk, "text message", attempt)
            if attempt.result == Reach.STOPPED:
                patient_texts_stopped(patient=patient, at=timezone.now())
    waits = [attempt.retry_after for attempt in attempts if attempt.retry_after]
    return Delivery(
        reached=email in REACHED or text in REACHED,
        pending=not email or not text,
        retry_after=max(waits, default=None),
    )


def _settled(row, channel: str, attempt: Attempt) -> str:
    """Record a channel's result on the row at once, so that a retry never sends it again."""
    if not attempt.result:
        return ""
    changes = {f"{channel}_result": attempt.result}
    if attempt.result in REACHED:
        changes["emailed_at" if channel == "email" else "texted_at"] = timezone.now()
    if attempt.refusal:
        row.refusal = f"{row.refusal}; {channel}: {attempt.refusal}" if row.refusal else f"{channel}: {attempt.refusal}"
        changes["refusal"] = row.refusal[:100]
    type(row).objects.filter(pk=row.pk).update(**changes)
    for name, value in changes.items():
        setattr(row, name, value)
    return attempt.result


def _log(what: str, pk, channel: str, attempt: Attempt) -> None:
    if attempt.result == Reach.UNCONFIRMED:
        log.error("%s %s: the %s was handed over and never confirmed; not sent again", what, pk, channel)
    elif attempt.result in (Reach.REFUSED, Reach.STOPPED):
        log.error("%s %s: the %s was refused and is not tried again: %s", what, pk, channel, attempt.refusal)
    elif not attempt.result:
        log.warning("%s %s: the %s could not be sent, tried again later: %s", what, pk, channel, attempt.refusal)


def pending_given_up(row) -> dict:
    """The channels still waiting when their message is given up: every attempt failed for a
    reason that might have passed, and none in time."""
    changes = {}
    if not row.email_result and not row.emailed_at:
        changes["email_result"] = Reach.NO_ANSWER
    if not row.text_result and not row.texted_at:
        changes["text_result"] = Reach.NO_ANSWER
    return changes
