"""Trending: a time-decayed engagement score, stored on the character.

Each refresh multiplies the old score by a decay factor for the time elapsed
(half-life ``TRENDING_HALF_LIFE_HOURS``) and adds the engagement gained since the
previous refresh. So the score is an exponentially weighted sum of recent
activity: a burst today outranks a larger total from last month. One UPDATE
statement over the table; the periodic Celery task runs it.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Greatest
from django.utils import timezone

from characters.models import Character

# Weights of each engagement counter (a like is worth more than one message).
ENGAGEMENT = {
    "chats_count": 3.0,
    "messages_count": 0.1,
    "likes_count": 5.0,
    "rating_count": 2.0,
    "remix_count": 4.0,
}
_LAST_RUN_KEY = "characters:trending:last-run"


def engagement_expression() -> Combinable:
    """The weighted sum of a character's engagement counters, as SQL."""
    terms = [F(field) * Value(weight) for field, weight in ENGAGEMENT.items()]
    expr: Combinable = terms[0]
    for term in terms[1:]:
        expr = expr + term
    return expr


@transaction.atomic
def trending_refresh(*, now: datetime | None = None) -> int:
    """Decay every score and add new engagement; returns rows updated."""
    now = now or timezone.now()
    last = cache.get(_LAST_RUN_KEY)
    hours = 1.0
    if isinstance(last, float):
        hours = max(0.0, (now.timestamp() - last) / 3600)
    decay = math.pow(0.5, hours / settings.TRENDING_HALF_LIFE_HOURS)
    engagement = engagement_expression()
    updated = Character.objects.filter(deleted_at__isnull=True).update(
        trending_score=F("trending_score") * Value(decay)
        + Greatest(engagement - F("trending_seen"), Value(0.0)),
        trending_seen=engagement,
    )
    cache.set(_LAST_RUN_KEY, now.timestamp(), timeout=None)
    return updated
