"""An HTTP server that takes requests and never answers them in time: a hung Visma Connect."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class HangingServer:
    url: str
    # Paths of the requests received, in order: shows whether a client retried.
    paths: list[str] = field(default_factory=list)


@contextlib.contextmanager
def hanging_server(*, hang_seconds: float = 5.0) -> Iterator[HangingServer]:
    """Serve on 127.0.0.1; each request is read, then held ``hang_seconds`` (or until the
    block ends) before a 200 goes out, so a client without a timeout waits that long."""
    release = threading.Event()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append(self.path)
            release.wait(hang_seconds)
            with contextlib.suppress(OSError):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

        do_GET = do_POST

        def log_message(self, format: str, *args) -> None:  # quiet: no request log on stderr
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HangingServer(url=f"http://127.0.0.1:{server.server_address[1]}", paths=seen)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
