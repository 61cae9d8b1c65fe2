"""Celery tasks of the chat app (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from chat import events
from chat.generation import reply_generate


@shared_task(name="chat.reply_generate", ignore_result=True)
def reply_generate_task(alternative_id: int, context_tokens: int | None = None) -> None:
    # A worker process (or thread) lives long: keep its channel-layer
    # connections from one reply to the next, as the thread-mode pool does.
    # (Celery's Django fix-up hands the database connection back after a task.)
    reply_generate(
        alternative_id=alternative_id,
        sender=events.thread_sender(),
        context_tokens=context_tokens,
    )
