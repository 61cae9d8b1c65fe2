"""A pool of long-lived daemon threads for blocking jobs (generation in the
quick start, reading model streams): a job does not wait for a thread to be
created and scheduled — starting one costs milliseconds on a busy process,
on the way to a reply's first token."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection, connections

log = logging.getLogger(__name__)


class WorkerPool:
    """Daemon threads started on demand (up to ``size``) and kept, with what
    they keep per thread (a generation thread's event loop and Redis
    connections). Jobs beyond ``size`` running at once wait in order. Daemon
    threads, so stopping the process does not wait for jobs in flight (a
    reply cut off that way is failed on redelivery or left streaming)."""

    def __init__(self, size: int, name: str) -> None:
        self.size = size
        self.name = name
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._idle = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._threads = 0

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)
        if self._idle.acquire(blocking=False):
            return  # an idle worker takes it
        with self._lock:
            if self._threads < self.size:
                self._threads += 1
                threading.Thread(
                    target=self._work,
                    name=f"{self.name}-{self._threads}",
                    daemon=True,
                ).start()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:
                log.exception("%s: a job failed", self.name)
            self._idle.release()


def db_pooled() -> bool:
    """Whether connections come from psycopg's pool (``OPTIONS["pool"]``)."""
    return bool(connection.settings_dict.get("OPTIONS", {}).get("pool"))


def with_database(job: Callable[[], None]) -> Callable[[], None]:
    """``job`` as a job of a long-lived thread that uses the database: stale
    connections dropped first; afterwards the connection goes back to the
    pool (or is kept, within ``CONN_MAX_AGE``, without one)."""

    def run() -> None:
        close_old_connections()
        try:
            job()
        finally:
            if db_pooled():
                connections.close_all()
            else:
                close_old_connections()

    return run
