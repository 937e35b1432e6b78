"""What the image tests share: real image bytes made with Pillow, a local image server, the
task runner, and the settings those tests need."""

from __future__ import annotations

import http.server
import io
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from tests.batches.helpers import run_ready_tasks

PRODUCT_IMAGES = "/omnitron/api/v1/product_image/"
DOWNLOADS = "/omnitron/api/i1/downloadable_image/"
# Small limits, so that the failure cases take a fraction of a second.
MAX_BYTES = 200_000
READ_TIMEOUT = 0.5
DEADLINE = 1.5


def image_bytes(
    kind: str = "PNG", size: tuple[int, int] = (8, 6), color=(200, 30, 30), **options
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind, **options)
    return buffer.getvalue()


def noise_png(size_bytes: int) -> bytes:
    """A valid PNG of at least `size_bytes` (random pixels do not compress)."""
    side = int((size_bytes / 3) ** 0.5) + 8
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def run_downloads():
    """Run the queued image downloads with the real task runner (django-tasks-db)."""
    return run_ready_tasks("default")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "image/png"
    headers: dict = field(default_factory=dict)
    # Called instead of sending `body`, for the slow answers.
    answer: Callable | None = None


@dataclass
class ImageServer:
    """An HTTP server on 127.0.0.1 serving `routes` by path; counts the requests per path."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)

    def __enter__(self) -> ImageServer:
        self.stop = threading.Event()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = urlsplit(self.path).path
                server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path)
                try:
                    if path == "/redirect":
                        to = parse_qs(urlsplit(self.path).query)["to"][0]
                        self.send(Route(status=302, headers={"Location": to}))
                    elif route is None:
                        self.send(Route(status=404, body=b"not found", content_type="text/plain"))
                    elif route.answer is not None:
                        route.answer(self, server.stop)
                    else:
                        self.send(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def send(self, route: Route):
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        return Handler


def slow_to_answer(seconds: float):
    """Say nothing for `seconds`, then answer with a good image."""

    def answer(handler, stop):
        if stop.wait(seconds):
            return
        handler.send(Route(body=image_bytes()))

    return answer


def trickle(body: bytes, *, every: float, chunk: int = 64):
    """Send `body` a few bytes at a time, each well within the read timeout."""

    def answer(handler, stop):
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for start in range(0, len(body), chunk):
            handler.wfile.write(body[start : start + chunk])
            handler.wfile.flush()
            if stop.wait(every):
                return

    return answer


def unbounded(chunk: bytes):
    """A body without Content-Length that never ends (until the client hangs up)."""

    def answer(handler, stop):
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.end_headers()
        handler.close_connection = True
        while not stop.is_set():
            handler.wfile.write(chunk)

    return answer
