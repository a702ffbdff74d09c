"""A real SMTP server (aiosmtpd) on a spare loopback port, for tests that need the mail server to
accept, refuse, stall or be down."""

import asyncio
import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Keeps every message it reads. `data_answer` is its answer to a message ("250 ..." takes it,
    "451 ..." or "550 ..." refuses it), `rcpt_answer` to a recipient; with `stall` set it reads the
    message whole and never answers. `stop()` takes it down and `start()` brings it back on the
    same port."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[str] = []
        self.data_answer = "250 Message accepted for delivery"
        self.rcpt_answer = "250 OK"
        self.stall = False
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.rcpt_answer

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode())
        if self.stall:
            # Holds the client until it gives up; the server's loop is stopped with the test.
            await asyncio.Event().wait()
        return self.data_answer

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def to(self, address: str) -> list[str]:
        return [message for message in self.messages if f"To: {address}" in message]

    def use(self, settings, *, timeout: float = 1) -> None:
        """Point Django's e-mail at this server, as EMAIL_URL=smtp://127.0.0.1:PORT would."""
        settings.EMAIL_BACKEND = "clinic.mail.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = timeout
