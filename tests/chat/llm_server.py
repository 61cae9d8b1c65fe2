"""A small OpenAI-compatible streaming server for tests and benchmarks.

Runs on 127.0.0.1 in a thread. The requested ``model`` picks the behaviour:
``normal`` streams ``words`` words then finishes; ``http500`` answers HTTP 500;
``silent`` waits ``delay`` seconds before anything; ``cut`` sends half the words
and closes the connection without a finish reason; ``flaky`` fails with 500 on
odd-numbered requests; ``error`` sends two words, then an error event;
``chatty`` streams like ``normal`` with keep-alive comments, ``event:``/``id:``
fields and each chunk's JSON split over two ``data:`` lines (valid SSE). Every request body is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = [
    "The",
    "sea",
    "is",
    "calm",
    "tonight",
    "and",
    "the",
    "lanterns",
    "glow",
    "over",
    "the",
    "quiet",
    "harbour",
]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: LLMServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        with self.server.lock:
            self.server.requests.append(body)
            self.server.request_lines.append(
                (self.path, self.headers.get("Authorization", ""))
            )
            count = len(self.server.requests)
        model = body.get("model", "normal")
        if model == "http500" or (model == "flaky" and count % 2 == 1):
            payload = json.dumps(
                {"error": {"message": "boom", "type": "server_error"}}
            ).encode()
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if model == "silent":
            time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        words = self.server.words
        limit = len(words) // 2 if model == "cut" else len(words)
        try:
            for i, word in enumerate(words[:limit]):
                if model == "error" and i == 2:
                    self.wfile.write(
                        b'data: {"error": {"message": "overloaded", "code": 529}}\n\n'
                    )
                    self.wfile.flush()
                    return
                if model == "chatty":
                    self.wfile.write(b": keep-alive\n\nevent: message\nid: 7\n")
                self._event(
                    {
                        "choices": [
                            {
                                "index": 0,
                                "delta": {
                                    "content": word
                                    + (" " if i < len(words) - 1 else "")
                                },
                                "finish_reason": None,
                            }
                        ]
                    }
                )
                if self.server.word_delay:
                    time.sleep(self.server.word_delay)
            if model == "cut":
                self.wfile.flush()
                return  # connection closes: no finish_reason, no [DONE]
            self._event(
                {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            )
            self._event(
                {
                    "choices": [],
                    "usage": {
                        "prompt_tokens": 42,
                        "completion_tokens": len(words),
                        "total_tokens": 42 + len(words),
                    },
                }
            )
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            with self.server.lock:
                self.server.hang_ups += 1  # the client closed the stream

    def _event(self, chunk: dict[str, Any]) -> None:
        base = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "test",
        }
        data = json.dumps({**base, **chunk}, indent=None)
        if self.server.requests[-1].get("model") == "chatty":
            cut = data.index(",") + 1  # JSON allows the newline between the lines
            data = data[:cut] + "\ndata: " + data[cut:]
        self.wfile.write(b"data: " + data.encode() + b"\n\n")
        self.wfile.flush()


class LLMServer(ThreadingHTTPServer):
    daemon_threads = True
    # bench/chat.py opens 200 streams at once: the default listen backlog (5)
    # refused some of the burst, as no real model server would.
    request_queue_size = 1024

    def __init__(
        self,
        *,
        words: list[str] | None = None,
        word_delay: float = 0.0,
        delay: float = 5.0,
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.words = words or WORDS
        self.word_delay = word_delay
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.request_lines: list[tuple[str, str]] = []  # (path, Authorization)
        self.hang_ups = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> LLMServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
