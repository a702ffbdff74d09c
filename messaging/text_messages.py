"""Text-message backends. A backend is a class with `send(*, to, body, idempotency_key)`, named in the
TEXT_MESSAGE_BACKEND setting; `to` is a number in E.164. It returns once the provider has taken the
message, and otherwise raises one of the exceptions below, which say whether to try again.

A worker that dies after the provider accepted a text, but before the check-in was marked texted,
sends it again. `idempotency_key` is the same on every attempt for one check-in, so a provider that
honours it sends the patient one text; a request the provider may have taken without answering is
not sent again at all (`TextMessagePossiblySent`).
"""

import sys
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from django.conf import settings
from urllib3.exceptions import NewConnectionError

from clinic.redaction import redact


class TextMessageNotSent(Exception):
    """The provider did not take the message, for a reason that may pass (down, busy, slow to
    connect): try again, not before `retry_after` when it said so. `answered` tells a provider
    that said "not now" from one that did not answer at all."""

    def __init__(self, message: str, *, retry_after: timedelta | None = None, answered: bool = True):
        super().__init__(message)
        self.retry_after = retry_after
        self.answered = answered


class TextMessagePossiblySent(Exception):
    """The request reached the provider, which never said it took the message: it may have been
    texted, so it is not sent again."""


class TextMessageRefused(Exception):
    """The provider refused this message for good (a bad key, a number it will not text): trying
    again would be refused again."""


class TextMessageStopped(TextMessageRefused):
    """The patient replied STOP to the sending number: the provider texts them no more."""


# The provider's answers that say "not now" rather than "never"; any other 4xx is "never".
TRY_AGAIN_STATUSES = {408, 425, 429}
# Telnyx answers 409 with error 40300 for a number that replied STOP.
STOPPED_STATUS = 409
STOPPED_CODES = {"40300"}


class ConsoleBackend:
    """For development: writes each message to the console with its link and number hidden, since
    the console is the worker's log."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        heading = f"Text message to a number ending {to[-3:]} ({idempotency_key})"
        self.stream.write(f"{heading}\n{redact(body)}\n{'-' * 40}\n")
        self.stream.flush()


class TelnyxBackend:
    """Sends through Telnyx's Messaging API: POST TEXT_MESSAGE_API_URL with a bearer key, from
    TEXT_MESSAGE_SENDER (a number in E.164). The request carries an Idempotency-Key header: a
    provider that honours it answers a repeat of the same message with its first reply instead of
    sending again. The timeout bounds the connection and each wait for the answer."""

    def __init__(self):
        self.url = settings.TEXT_MESSAGE_API_URL
        self.api_key = settings.TEXT_MESSAGE_API_KEY
        self.sender = settings.TEXT_MESSAGE_SENDER
        self.timeout = settings.TEXT_MESSAGE_TIMEOUT_SECONDS

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        try:
            response = requests.post(
                self.url,
                json={"from": self.sender, "to": to, "text": body},
                headers={"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": idempotency_key},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            # The exception's text may hold the request; the type says enough to act on.
            if _never_connected(error):
                raise TextMessageNotSent(
                    f"The provider did not answer ({type(error).__name__})", answered=False
                ) from None
            raise TextMessagePossiblySent(f"The provider did not answer ({type(error).__name__})") from None
        status = response.status_code
        codes = _error_codes(response)
        if 200 <= status < 300:
            if not _message_id(response):
                raise TextMessagePossiblySent(f"The provider answered {status} without a message: {codes}".rstrip())
            return
        if status == STOPPED_STATUS or STOPPED_CODES & set(codes.split(", ")):
            raise TextMessageStopped(f"The patient replied STOP: {status} {codes}".rstrip())
        if status >= 500 or status in TRY_AGAIN_STATUSES:
            raise TextMessageNotSent(f"The provider answered {status}", retry_after=retry_after_of(response))
        raise TextMessageRefused(f"The provider refused the message: {status} {codes}".rstrip())


def _never_connected(error: requests.RequestException) -> bool:
    """Nothing of the request reached the provider: no connection was made."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return isinstance(error, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def retry_after_of(response) -> timedelta | None:
    """An HTTP answer's Retry-After: a number of seconds, or an HTTP date."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment - datetime.now(UTC), timedelta(0)) if moment.tzinfo else None


def _message_id(response) -> str:
    try:
        data = response.json().get("data")
        return str(data.get("id") or "") if isinstance(data, dict) else ""
    except (ValueError, AttributeError):
        return ""


def _error_codes(response) -> str:
    """The provider's own error codes, which say why (the detail it gives may quote the number)."""
    try:
        errors = response.json().get("errors", [])
        return ", ".join(str(error.get("code")) for error in errors if isinstance(error, dict) and error.get("code"))
    except (ValueError, AttributeError):
        return ""
