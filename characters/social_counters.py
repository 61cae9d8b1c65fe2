"""Counter updates on ``Character`` for the community app (likes, ratings).

Each function is called inside the transaction that writes the row it counts,
and uses ``F()`` so concurrent likes never lose an update. A test recomputes the
counters from the rows."""

from __future__ import annotations

from django.db.models import F

from characters.models import Character


def likes_add(*, character_id: int, delta: int) -> None:
    Character.objects.filter(pk=character_id).update(
        likes_count=F("likes_count") + delta
    )


def rating_add(*, character_id: int, sum_delta: int, count_delta: int) -> None:
    Character.objects.filter(pk=character_id).update(
        rating_sum=F("rating_sum") + sum_delta,
        rating_count=F("rating_count") + count_delta,
    )
