"""Django's SMTP backend, telling a message the mail server may have taken from one it never had.

A send that fails before the whole message reached the server can safely be tried again. One that
fails after it (the server read the message, then never confirmed it) may already be in the
patient's mailbox: it raises `MessagePossiblySent`, so the caller records it as possibly sent
rather than sending it again.
"""

import smtplib

from django.core.mail.backends import smtp

# smtplib sends a message's body, then its end, as bytes ending with this line.
END_OF_DATA = b"\r\n.\r\n"


class MessagePossiblySent(Exception):
    """The message was handed to the mail server whole, and the server never confirmed it."""


class _HandOverSeen:
    handed_over = False

    def send(self, s):
        super().send(s)
        if isinstance(s, bytes) and s.endswith(END_OF_DATA):
            self.handed_over = True


class _SMTP(_HandOverSeen, smtplib.SMTP):
    pass


class _SMTPSSL(_HandOverSeen, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def send_messages(self, email_messages):
        self._handed_over = False
        self._accepted = 0
        try:
            return super().send_messages(email_messages)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            # The server answered: it did not take the message.
            raise
        except OSError as error:
            if self._accepted:
                # The server confirmed the message; only the goodbye failed.
                return self._accepted
            if self._handed_over:
                raise MessagePossiblySent(
                    f"The mail server did not confirm the message ({type(error).__name__})"
                ) from None
            raise

    def _send(self, email_message):
        self.connection.handed_over = False
        try:
            sent = super()._send(email_message)
        finally:
            self._handed_over = self._handed_over or self.connection.handed_over
        self._accepted += bool(sent)
        return sent
