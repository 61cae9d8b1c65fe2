"""Celery tasks of the chat app (thin wrappers around services)."""

from __future__ import annotations

from celery import shared_task

from chat.generation import reply_generate


@shared_task(name="chat.reply_generate", ignore_result=True)
def reply_generate_task(alternative_id: int) -> None:
    reply_generate(alternative_id=alternative_id)
