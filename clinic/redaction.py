"""Keeps patients' secrets out of the logs: the signed token of a check-in link opens a patient's
page without a login, and a phone number identifies the patient. Every log handler filters its
records through `RedactingFilter`, whichever logger (Django's request warnings, Celery, ours) wrote
them."""

import logging
import re

HIDDEN = "[hidden]"

PATTERNS = [
    # The last segment of a check-in or password-reset link, wherever the link appears.
    re.compile(r"(/check-in/[^/\s\"']+/)[^/\s\"'?#]+"),
    re.compile(r"(/reset/[^/\s\"']+/)[^/\s\"'?#]+"),
    # django.core.signing's refusal quotes the signature it refused.
    re.compile(r'(Signature ")[^"]+'),
    # A value signed by django.core.signing, outside a link: payload, then one or two signatures.
    re.compile(r"()\b[A-Za-z0-9_-]{16,}(?::[A-Za-z0-9_-]{6,}){1,2}"),
    # Phone numbers with their international prefix, and national ones starting with a trunk 0.
    re.compile(r"()\+\d[\d ().-]{5,}\d"),
    re.compile(r"()(?<![\w.:-])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w-])"),
]


def redact(text: str) -> str:
    for pattern in PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + HIDDEN, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message and traceback with the secrets hidden; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
