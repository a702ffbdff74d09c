import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class MemoryBackend:
    """Keeps text messages in `MemoryBackend.outbox`, as Django's locmem backend keeps e-mails."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        MemoryBackend.outbox.append({"to": to, "body": body, "idempotency_key": idempotency_key})


class Provider:
    """A text-message provider's HTTP API played by a real server on 127.0.0.1, in a thread.

    It keeps every request it receives, answers with `status` (with the provider's `error_code`
    and `headers` such as Retry-After), and, while `hold` is set, does not answer until the test
    releases it. Like the provider, it remembers the Idempotency-Key of each message it sent: a
    repeat with the same body is answered as the first was and not sent again; the same key with
    another body is refused (422). `go_down()` stops it answering connections at all, and
    `come_back()` brings it back on the same port.
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.delivered: list[dict] = []
        self.sent_by_key: dict[str, dict] = {}
        self.status = 200
        self.error_code = ""
        self.headers: dict[str, str] = {}
        self.hold = threading.Event()
        self.released = threading.Event()
        # Called once a request is in, before the answer: e.g. to kill the worker that sent it.
        self.on_request = None
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                request = {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "json": json.loads(self.rfile.read(length)),
                }
                provider.requests.append(request)
                key = self.headers.get("Idempotency-Key")
                status = provider.status
                if key in provider.sent_by_key:
                    status = 200 if provider.sent_by_key[key] == request["json"] else 422
                elif status < 300:
                    provider.sent_by_key[key] = request["json"]
                    provider.delivered.append(request)
                if provider.on_request:
                    provider.on_request()
                if provider.hold.is_set():
                    provider.released.wait(timeout=30)
                answer = {"data": {"id": f"msg-{len(provider.delivered)}"}}
                if status >= 300:
                    answer = {"errors": [{"code": provider.error_code or str(status)}]}
                body = json.dumps(answer).encode()
                self.send_response(status)
                for name, value in provider.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.port = 0
        self.server = None

    def come_back(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/v2/messages"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def go_down(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self):
        self.come_back()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self.go_down()
