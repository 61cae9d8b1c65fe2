"""Trending: a time-decayed engagement score, stored on the character.

The score is an exponentially weighted sum of engagement, halving every
``TRENDING_HALF_LIFE_HOURS``: a burst today outranks a larger total from last
month. Decay multiplies every character's score by the same factor, which does
not change their order, so nothing needs to decay row by row. We store the
score in log2 space relative to a fixed epoch:

    trending_score = log2( Σ engagement_k · 2^((t_k − EPOCH) / half_life) )

and a refresh only touches characters that gained engagement since the last one
(``trending_seen`` remembers the total already counted), adding it with a
log-sum-exp that cannot overflow. The value at time ``now`` is
``2^(trending_score − (now − EPOCH) / half_life)`` (``trending_value``). A busy
catalog's refresh therefore costs a scan plus an update of the active rows, not
a rewrite of every row and every index.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Abs, Greatest, Least, Log, Power
from django.db.models.lookups import GreaterThan
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
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def engagement_expression() -> Combinable:
    """The weighted sum of a character's engagement counters, as SQL."""
    terms = [F(field) * Value(weight) for field, weight in ENGAGEMENT.items()]
    expr: Combinable = terms[0]
    for term in terms[1:]:
        expr = expr + term
    return expr


def _age(now: dt.datetime) -> float:
    """Half-lives since the epoch."""
    half_life: float = settings.TRENDING_HALF_LIFE_HOURS
    return (now - EPOCH).total_seconds() / 3600 / half_life


def trending_value(score: float, *, now: dt.datetime | None = None) -> float:
    """The decayed engagement a stored score stands for at ``now``."""
    exponent: float = score - _age(now or timezone.now())
    return math.pow(2.0, exponent)


@transaction.atomic
def trending_refresh(*, now: dt.datetime | None = None) -> int:
    """Add the engagement gained since the last refresh; returns rows updated."""
    age = _age(now or timezone.now())
    engagement = engagement_expression()
    gained = ExpressionWrapper(
        engagement - F("trending_seen"), output_field=FloatField()
    )
    new = ExpressionWrapper(Log(2, gained) + Value(age), output_field=FloatField())
    # log-sum-exp in base 2: log2(2^a + 2^b) = max(a, b) + log2(1 + 2^-|a - b|);
    # |a - b| is capped at 60 (2^-60 adds nothing to a double, and PostgreSQL
    # raises on float underflow instead of returning 0).
    combined = ExpressionWrapper(
        Greatest(F("trending_score"), new)
        + Log(
            2,
            Value(1.0)
            + Power(Value(2.0), -Least(Abs(F("trending_score") - new), Value(60.0))),
        ),
        output_field=FloatField(),
    )
    return (
        Character.objects.filter(deleted_at__isnull=True)
        .filter(GreaterThan(engagement, F("trending_seen")))
        .update(trending_score=combined, trending_seen=engagement)
    )
