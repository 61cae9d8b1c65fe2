"""Process-wide tuning applied by the entry points that serve sockets or run
generation (``config.asgi``, Celery workers through ``config.celery``)."""

from __future__ import annotations

import sys

from django.conf import settings


def tune_interpreter() -> None:
    """Shorten the GIL switch interval (``PYTHON_SWITCH_INTERVAL``): a thread
    woken by a token or a Redis reply waits at most this long for a thread
    busy parsing the rest of a stream, instead of CPython's 5 ms, at each of
    the several hand-offs between the model's first token and the socket."""
    sys.setswitchinterval(settings.PYTHON_SWITCH_INTERVAL)
