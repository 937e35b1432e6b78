"""A real application server on 127.0.0.1 for the app-proxy tests.

It records every request and answers by the last segment of the path: `big` (5 MiB), `gated`
(a first chunk, then the rest once the test opens the gate), `slow`, `garbage` (not HTTP),
`redirect?to=…`, `gzip`, `teapot` (418 with headers the proxy must drop); anything else echoes
the request as JSON.
"""

from __future__ import annotations

import gzip
import http.server
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

BIG = bytes(range(256)) * (5 * 1024 * 1024 // 256)
CHUNK = 64 * 1024


@dataclass
class Received:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    client_port: int


@dataclass
class LocalApp:
    prefix: str = "/app/"
    slow_seconds: float = 2.0
    received: list[Received] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> LocalApp:
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self._server.server_port
        self.base_url = f"http://127.0.0.1:{self.port}{self.prefix}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.gate.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def last(self) -> Received:
        return self.received[-1]

    def _handler(self):
        app = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, so the proxy's pool can reuse connections

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {name.lower(): value for name, value in self.headers.items()}
                app.received.append(
                    Received(self.command, self.path, headers, body, self.client_address[1])
                )
                route = urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]
                try:
                    getattr(self, f"answer_{route}", self.answer_echo)()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

            def send(self, status, body: bytes, content_type="application/json", **headers):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def answer_echo(self):
                record = app.received[-1]
                echo = {
                    "method": record.method,
                    "target": record.target,
                    "body": record.body.decode("utf-8", "replace"),
                }
                self.send(200, json.dumps(echo).encode())

            def answer_big(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(BIG)))
                self.end_headers()
                for start in range(0, len(BIG), CHUNK):
                    self.wfile.write(BIG[start : start + CHUNK])

            def answer_gated(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(BIG)))
                self.end_headers()
                self.wfile.write(BIG[:CHUNK])
                self.wfile.flush()
                app.gate.wait(timeout=10)
                self.wfile.write(BIG[CHUNK:])

            def answer_slow(self):
                time.sleep(app.slow_seconds)
                self.send(200, b"{}")

            def answer_garbage(self):
                self.close_connection = True
                self.wfile.write(b"THIS IS NOT HTTP\r\n\r\n")

            def answer_redirect(self):
                to = parse_qs(urlsplit(self.path).query)["to"][0]
                self.send(302, b"", content_type="text/plain", Location=to)

            def answer_gzip(self):
                self.send(
                    200,
                    gzip.compress(b'{"compressed": true}'),
                    Content_Encoding="gzip",
                )

            def answer_teapot(self):
                self.send(
                    418,
                    b'{"error": "teapot"}',
                    Set_Cookie="sessionid=app-session; Path=/",
                    Access_Control_Allow_Origin="*",
                    Strict_Transport_Security="max-age=60",
                    X_App="kept",
                    Cache_Control="no-store",
                )

            def log_message(self, *args):
                pass

        return Handler


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
