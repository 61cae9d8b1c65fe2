"""The creator dashboard: per character, the last 30 days, as a table and an
SVG chart drawn on the server (no JavaScript, CSP-clean).

Likes, ratings and followers come from the community tables; chats, messages,
unique chatters and the reply-star distribution from chat (``chat.stats``,
``chat.dashboard_stats``) — counts only, never whose conversations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from characters.models import Character
from chat.dashboard_stats import daily_activity, unique_chatters
from chat.stats import reply_star_distribution
from community.models import CharacterFollow, CharacterLike, CharacterRating

DAYS = 30


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    chats: int
    messages: int
    chatters: int
    likes: int
    ratings: int
    rating_avg: float | None
    followers: int


@dataclass(frozen=True)
class Dashboard:
    character: Character
    rows: list[DayRow]
    totals: DayRow
    stars: dict[int, int]  # reply stars 1..5 → count
    chart_svg: str
    followers_total: int


def _by_day(
    qs: QuerySet[CharacterLike] | QuerySet[CharacterFollow], field: str
) -> dict[dt.date, int]:
    return {
        row["day"]: row["n"]
        for row in qs.annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("pk"))
        .values("day", "n")
    }


def dashboard_for(*, character: Character, days: int = DAYS) -> Dashboard:
    """The caller has checked ownership (``character_get_owned``)."""
    today = timezone.now().date()
    since_day = today - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(since_day, dt.time.min), dt.UTC)
    likes = _by_day(
        CharacterLike.objects.filter(character=character, created_at__gte=since),
        "created_at",
    )
    follows = _by_day(
        CharacterFollow.objects.filter(character=character, created_at__gte=since),
        "created_at",
    )
    ratings = {
        row["day"]: (row["n"], row["avg"])
        for row in CharacterRating.objects.filter(
            character=character, updated_at__gte=since
        )
        .annotate(day=TruncDate("updated_at"))
        .values("day")
        .annotate(n=Count("pk"), avg=Avg("stars"))
        .values("day", "n", "avg")
    }
    activity = daily_activity(character_id=character.pk, since=since)
    stars = reply_star_distribution(character_id=character.pk, since=since)
    rows = []
    for i in range(days):
        day = since_day + dt.timedelta(days=i)
        chats, messages, chatters = activity.get(day, (0, 0, 0))
        n_ratings, avg = ratings.get(day, (0, None))
        rows.append(
            DayRow(
                day=day,
                chats=chats,
                messages=messages,
                chatters=chatters,
                likes=likes.get(day, 0),
                ratings=n_ratings,
                rating_avg=round(avg, 2) if avg is not None else None,
                followers=follows.get(day, 0),
            )
        )
    totals = DayRow(
        day=today,
        chats=sum(r.chats for r in rows),
        messages=sum(r.messages for r in rows),
        chatters=unique_chatters(character_id=character.pk, since=since),
        likes=sum(r.likes for r in rows),
        ratings=sum(r.ratings for r in rows),
        rating_avg=character.rating_average,
        followers=sum(r.followers for r in rows),
    )
    return Dashboard(
        character=character,
        rows=rows,
        totals=totals,
        stars=stars,
        chart_svg=chart_svg(rows),
        followers_total=CharacterFollow.objects.filter(character=character).count(),
    )


def chart_svg(rows: list[DayRow], *, width: int = 640, height: int = 200) -> str:
    """Bars for chats, lines for likes and new followers. Only numbers reach the
    markup (no user text), so building it as a string is safe."""
    pad_l, pad_b, pad_t = 32, 22, 10
    inner_w, inner_h = width - pad_l - 8, height - pad_b - pad_t
    peak = max([1] + [max(r.chats, r.likes, r.followers) for r in rows])
    n = max(len(rows), 1)
    step = inner_w / n

    def y(v: int) -> float:
        return pad_t + inner_h - (v / peak) * inner_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Chats, likes and new followers per day over {n} days">',
        f'<line class="chart__axis" x1="{pad_l}" y1="{pad_t + inner_h}" '
        f'x2="{width - 8}" y2="{pad_t + inner_h}"/>',
        f'<text class="chart__label" x="4" y="{pad_t + 8}">{peak}</text>',
        f'<text class="chart__label" x="4" y="{pad_t + inner_h}">0</text>',
    ]
    for i, r in enumerate(rows):
        x = pad_l + i * step
        h = (r.chats / peak) * inner_h
        parts.append(
            f'<rect class="chart__bar" x="{x + step * 0.15:.1f}" y="{pad_t + inner_h - h:.1f}" '
            f'width="{step * 0.7:.1f}" height="{h:.1f}"><title>{r.day:%b %d}: '
            f"{r.chats} chats, {r.likes} likes, {r.followers} followers</title></rect>"
        )
    for cls, attr in (
        ("chart__line--likes", "likes"),
        ("chart__line--followers", "followers"),
    ):
        pts = " ".join(
            f"{pad_l + (i + 0.5) * step:.1f},{y(getattr(r, attr)):.1f}"
            for i, r in enumerate(rows)
        )
        parts.append(f'<polyline class="chart__line {cls}" points="{pts}"/>')
    if rows:
        parts.append(
            f'<text class="chart__label" x="{pad_l}" y="{height - 4}">{rows[0].day:%b %d}</text>'
        )
        parts.append(
            f'<text class="chart__label" x="{width - 60}" y="{height - 4}">{rows[-1].day:%b %d}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
