"""Text-message backends. A real provider is a class with `send(to, body)` named in
the TEXT_MESSAGE_BACKEND setting."""

import sys


class ConsoleBackend:
    """Writes each text message to the console, as Django's console e-mail backend does."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        self.stream.write(f"Text message to {to}\n{body}\n{'-' * 40}\n")
        self.stream.flush()
