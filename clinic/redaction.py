"""Keeps patients' secrets out of the logs: the signed token of a check-in or guide link, or the code
of its short link, opens a patient's page without a login, and a phone number identifies
the patient. Every log handler filters its records through `RedactingFilter`, whichever logger
(Django's request warnings, Celery, gunicorn, ours) wrote them; the console e-mail backend hides
them too.

Hiding errs on the side of the patient: a long bare number in a log line (an epoch time, a
zero-padded count) is hidden with the phone numbers it cannot be told from.
"""

import copy
import logging
import re

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

HIDDEN = "[hidden]"

PATTERNS = [
    # The last segment of a check-in, guide or password-reset link, wherever the link appears.
    re.compile(r"(/check-in/[^/\s\"']+/)[^/\s\"'?#]+"),
    re.compile(r"(/guide/[^/\s\"']+/)[^/\s\"'?#]+"),
    re.compile(r"(/reset/[^/\s\"']+/)[^/\s\"'?#]+"),
    # A check-in's or guide's short link: its code is the key, as the signed token is.
    re.compile(r"(/[cg]/)[A-Za-z0-9]+"),
    # django.core.signing's refusal quotes the signature it refused.
    re.compile(r'(Signature ")[^"]+'),
    # A value signed by django.core.signing, outside a link: payload, then one or two signatures.
    re.compile(r"()\b[A-Za-z0-9_-]{16,}(?::[A-Za-z0-9_-]{6,}){1,2}"),
    # Phone numbers: with their international prefix (+, 00, or +'s URL encoding), national ones
    # starting with a trunk 0 however they are grouped, US ones with the area code in brackets,
    # and a stored number's digits as the phone library prints them.
    re.compile(r"()(?:\+|%2[Bb]|\b00)\d[\d ().-]{5,}\d"),
    re.compile(r"()(?<![\w.:-])0\d(?:[ .-]?\d){7,11}(?![\w-])"),
    re.compile(r"()\(\d{3}\) ?\d{3}[ .-]?\d{4}\b"),
    re.compile(r"(national_number=)\d+"),
    re.compile(r"()(?<![\w.:/-])\d{9,15}(?![\w-])"),
]


def redact(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + HIDDEN, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message and traceback with the secrets hidden; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A call whose arguments do not fit its message: keep both, hidden, rather than raise
            # into the code that logged (logging itself would only have printed an error).
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingConsoleEmailBackend(ConsoleEmailBackend):
    """Django's console e-mail backend, with links and numbers hidden: its console is a log."""

    def write_message(self, message):
        shown = copy.copy(message)
        shown.subject = redact(message.subject)
        shown.body = redact(message.body)
        super().write_message(shown)
