"""A webhook receiver on 127.0.0.1, as the clinic's other system would run one: it checks each
delivery's signature with standardwebhooks, refuses one that does not match, and answers as its
script says."""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass(frozen=True)
class Received:
    webhook_id: str
    timestamp: str
    body: bytes
    verified: bool
    status: int


class Receiver:
    def __init__(self):
        self.secret = ""
        # What to answer the next deliveries whose signature holds, in turn; then 200.
        self.answers: list[int] = []
        # How many of the next deliveries are altered on the way, after they were signed.
        self.tampered = 0
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/recovery-desk"

    def take(self, headers: dict, body: bytes) -> tuple[int, bytes]:
        with self._lock:
            if self.tampered:
                self.tampered -= 1
                body = body.replace(b'"status":"', b'"status":"resolved_')
            try:
                Webhook(self.secret).verify(body, headers)
            except WebhookVerificationError as error:
                status, verified, answer = 400, False, f"refused: {error}".encode()
            else:
                status = self.answers.pop(0) if self.answers else 200
                verified, answer = True, b"ok" if status == 200 else b"busy, try later"
            self.received.append(
                Received(headers.get("webhook-id", ""), headers.get("webhook-timestamp", ""), body, verified, status)
            )
            return status, answer

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, answer = receiver.take({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):
            pass

    return Handler
