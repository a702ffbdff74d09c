"""Text-message backends. A backend is a class with `send(*, to, body, idempotency_key)`, named in the
TEXT_MESSAGE_BACKEND setting; `to` is a number in E.164.

Delivery is at least once: a worker that dies after the provider accepted a text, but before the
check-in was marked texted, sends it again. `idempotency_key` is the same on every attempt for one
check-in, so a provider that honours it sends the patient one text.
"""

import sys

import requests
from django.conf import settings

from clinic.redaction import redact


class TextMessageNotSent(Exception):
    """The provider did not answer, or answered that it cannot take the message now; the
    check-in's next attempt tries again."""


class TextMessageRefused(Exception):
    """The provider refused this message for good (a bad key, a number it will not text): trying
    again would be refused again."""


# The provider's answers that say "not now" rather than "never".
TRY_AGAIN_STATUSES = {408, 409, 425, 429}


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
            raise TextMessageNotSent(f"The provider did not answer ({type(error).__name__})") from None
        status = response.status_code
        if 200 <= status < 300:
            return
        if status >= 500 or status in TRY_AGAIN_STATUSES:
            raise TextMessageNotSent(f"The provider answered {status}")
        raise TextMessageRefused(f"The provider refused the message: {status} {_error_codes(response)}".rstrip())


def _error_codes(response) -> str:
    """The provider's own error codes, which say why (the detail it gives may quote the number)."""
    try:
        errors = response.json().get("errors", [])
        return ", ".join(str(error.get("code")) for error in errors if isinstance(error, dict) and error.get("code"))
    except (ValueError, AttributeError):
        return ""
