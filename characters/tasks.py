from __future__ import annotations

from celery import shared_task

from characters.trending import trending_refresh


@shared_task(name="characters.trending_refresh")
def trending_refresh_task() -> int:
    return trending_refresh()
