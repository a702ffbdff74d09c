class MemoryBackend:
    """Keeps text messages in `MemoryBackend.outbox`, as Django's locmem backend keeps e-mails."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str) -> None:
        MemoryBackend.outbox.append({"to": to, "body": body})
