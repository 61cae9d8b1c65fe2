"""Periodic community jobs (Celery beat entries in settings' Community block)."""

from __future__ import annotations

from celery import shared_task

from community.services import posts_hot_refresh


@shared_task(name="community.posts_hot_refresh")
def posts_hot_refresh_task() -> int:
    return posts_hot_refresh()
