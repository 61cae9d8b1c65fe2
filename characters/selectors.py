"""Reads for characters, permission-aware.

Who sees what: a private character exists only for its owner (404 for everyone
else, everywhere); unlisted ones are reachable by link but never listed; mature
ones are hidden from users under 18 and from adults who have not opted in (and
from anonymous visitors); deleted ones are gone for everyone. Staff see what the
public sees, plus everything in the admin.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from characters.models import (
    Category,
    Character,
    CharacterVersion,
    ContentRating,
    Visibility,
)
from community.models import Profile, User
from config.cursors import BadCursor, cursor_decode, cursor_encode

SORTS = ("trending", "popular", "top", "new")
PAGE_SIZE = 24
SEARCH_CANDIDATES = 300
RAILS_CACHE_SECONDS = 60
RAILS_GENERATION_KEY = "characters:rails:generation"


def rails_cache_bust() -> None:
    """Forget cached rails at once: a character left the catalog (private,
    unlisted, deleted) or changed what it shows."""
    from django.core.cache import cache

    try:
        cache.incr(RAILS_GENERATION_KEY)
    except ValueError:  # not set yet: nothing cached under a generation
        cache.set(RAILS_GENERATION_KEY, 1, None)


MAX_PAGE_SIZE = 100


def viewer_sees_mature(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    try:
        return user.profile.sees_mature
    except Profile.DoesNotExist:
        return False


def _visible_filter(user: User | AnonymousUser) -> Q:
    """Characters a user may open: published public/unlisted ones, their own."""
    rule = Q(deleted_at__isnull=True) & (
        Q(published_version__isnull=False)
        & Q(visibility__in=[Visibility.PUBLIC, Visibility.UNLISTED])
    )
    if not viewer_sees_mature(user):
        rule &= Q(content_rating=ContentRating.GENERAL)
    if user.is_authenticated:
        rule |= Q(deleted_at__isnull=True, owner_id=user.pk)
    return rule


def characters_visible_to(user: User | AnonymousUser) -> QuerySet[Character]:
    """Every character ``user`` may open (for an ``Exists`` in another query)."""
    return Character.objects.filter(_visible_filter(user))


def character_get_for_user(*, slug: str, user: User | AnonymousUser) -> Character:
    """The character at ``slug`` if ``user`` may see it, else ``Http404``."""
    try:
        return (
            Character.objects.select_related(
                "owner__profile", "published_version", "remixed_from__owner__profile"
            )
            .filter(_visible_filter(user))
            .get(slug=slug)
        )
    except Character.DoesNotExist:
        raise Http404("No such character.") from None


def character_get_owned(*, slug: str, user: User | AnonymousUser) -> Character:
    """A character the user owns (for editing); 404 otherwise."""
    if not user.is_authenticated:
        raise Http404("No such character.")
    try:
        return Character.objects.select_related("published_version").get(
            slug=slug, owner_id=user.pk, deleted_at__isnull=True
        )
    except Character.DoesNotExist:
        raise Http404("No such character.") from None


def definition_hidden_reason(
    *,
    character: Character,
    user: User | AnonymousUser,
    chat_allowed: bool | None = None,
) -> str | None:
    """Why ``user`` may not read the character's prompt-facing definition (nor
    export or remix it), or None when they may. The owner always may; others
    when the creator shows it and, for a premium (supporters-only) character,
    when they support it: a card file or a remix carries the definition into
    chats the paywall would not allow. ``chat_allowed``: ``user``'s
    ``character_chat_allowed``, when the caller has it already."""
    if user.is_authenticated and user.pk == character.owner_id:
        return None
    if not character.definition_visible:
        return "The creator keeps this character's definition private."
    if chat_allowed is None:
        from billing.entitlements import character_chat_allowed

        chat_allowed = character_chat_allowed(user, character)
    if not chat_allowed:
        return "This character's definition is for its supporters."
    return None


def can_see_definition(*, character: Character, user: User | AnonymousUser) -> bool:
    return definition_hidden_reason(character=character, user=user) is None


# Columns a list never shows: the full-text vector and the draft are large.
LIST_DEFER = ("search_vector", "draft", "description", "greeting")


def listed(user: User | AnonymousUser) -> QuerySet[Character]:
    """Characters that may appear in lists: published, public, not deleted, and
    mature only for adults who opted in."""
    qs = Character.objects.filter(
        deleted_at__isnull=True,
        published_version__isnull=False,
        visibility=Visibility.PUBLIC,
    )
    if not viewer_sees_mature(user):
        qs = qs.filter(content_rating=ContentRating.GENERAL)
    return qs.defer(*LIST_DEFER)


# --- Keyset pagination ------------------------------------------------------
# Each sort orders by (key, id) descending; the cursor carries the last row's
# (key, id). A page costs the same at page 1 and page 1,000: an index range scan.

_SORT_KEYS: dict[str, str] = {
    "trending": "trending_score",
    "popular": "chats_count",
    "top": "rating_rank",
    "new": "published_at",
}


@dataclass(frozen=True)
class Page:
    items: list[Character]
    next_cursor: str | None


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    return cursor_decode(
        cursor,
        sort,
        when=sort == "new",
        mismatch="The cursor belongs to another sort; start again from the first page.",
    )


def catalog_page(
    *,
    user: User | AnonymousUser,
    sort: str = "trending",
    category: str | None = None,
    tag: str | None = None,
    q: str | None = None,
    owner: User | None = None,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of listed characters. Raises ``ValueError`` (``BadCursor``) or
    ``ValueError`` for a bad sort/category, with a message for the user."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort “{sort}”; use one of: {', '.join(SORTS)}.")
    if category and category not in Category.values:
        raise ValueError(f"Unknown category “{category}”.")
    size = max(1, min(size, MAX_PAGE_SIZE))
    qs = listed(user)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if category:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__name=tag.strip().lower())
    # Tags are shown as "#fantasy": searched the way they read, they match.
    q = _HASHTAG.sub(r"\1", q or "").strip()
    if q:
        return _search_page(qs, q, cursor=cursor, size=size)
    key = _SORT_KEYS[sort]
    if sort == "top":
        from django.db.models import FloatField
        from django.db.models.functions import Cast

        # Bayesian average: a 5.0 from one vote does not outrank 4.8 from 500.
        qs = qs.annotate(
            rating_rank=(Cast("rating_sum", FloatField()) + 3.5 * 10)
            / (Cast("rating_count", FloatField()) + 10)
        )
    if cursor:
        last_key, last_pk = _decode_cursor(cursor, sort)
        # The redundant `key <= last` bound lets PostgreSQL start the index range
        # scan at the cursor; the OR alone makes it walk from the top.
        qs = qs.filter(**{f"{key}__lte": last_key}).filter(
            Q(**{f"{key}__lt": last_key}) | Q(**{key: last_key, "pk__lt": last_pk})
        )
    qs = qs.order_by(f"-{key}", "-pk").select_related("owner__profile")
    items = list(qs[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = cursor_encode(sort, getattr(last, key), last.pk)
    return Page(items=items, next_cursor=next_cursor)


# Ranking: full-text rank (weights A–D: name, tagline, tags, description and
# creator) plus 0.6 × the trigram word similarity of the name, ties by trending.
_SEARCH_SQL = """
WITH fts AS MATERIALIZED ({fts}),
trgm AS MATERIALIZED ({trgm}),
candidates AS (
    SELECT pk, trending_score FROM fts
    UNION
    SELECT pk, trending_score FROM trgm
    ORDER BY trending_score DESC, pk DESC
    LIMIT %s
)
SELECT c.id
FROM candidates JOIN characters_character c ON c.id = candidates.pk
ORDER BY
    COALESCE(ts_rank(c.search_vector,
        websearch_to_tsquery('simple'::regconfig, %s)
        || websearch_to_tsquery('english'::regconfig, %s)), 0)
    + word_similarity(%s, c.name) * 0.6 DESC,
    c.trending_score DESC, c.id DESC
OFFSET %s LIMIT %s
"""


def _candidates_sql(
    qs: QuerySet[Character], condition: Q, *, several_words: bool
) -> tuple[str, tuple[Any, ...]]:
    """SQL for the SEARCH_CANDIDATES most trending rows of ``qs`` matching
    ``condition``, as (pk, trending_score)."""
    matches = qs.filter(condition).values_list("pk", "trending_score")
    if not several_words:
        # One word: matches are common; walking the trending index is fastest.
        inner, params = matches.order_by("-trending_score", "-pk")[
            :SEARCH_CANDIDATES
        ].query.sql_with_params()
        return inner, tuple(params)
    # Several words: PostgreSQL overestimates how many rows match all of them
    # and would walk the trending index filtering the whole table; the GIN
    # bitmap scan of the (few) matches, sorted afterwards, is fast for both.
    inner, params = matches.order_by().query.sql_with_params()
    # ``OFFSET 0`` keeps PostgreSQL from pulling the subquery up (a fence).
    sql = (
        f"SELECT * FROM ({inner} OFFSET 0) AS m"  # noqa: S608  (Django-built SQL, bound params)
        " ORDER BY 2 DESC, 1 DESC LIMIT %s"
    )
    return sql, (*params, SEARCH_CANDIDATES)


_TOKENS = re.compile(r'"[^"]*"?|\S+')
_HASHTAG = re.compile(r"(^|\s)#+(?=\w)")


def _split_excluded(q: str) -> tuple[str, list[str]]:
    """(the query without its ``-word`` exclusions, the excluded words), as
    PostgreSQL's websearch syntax reads them (a quoted phrase is never one)."""
    kept: list[str] = []
    excluded: list[str] = []
    for token in _TOKENS.findall(q):
        if token.startswith("-") and len(token) > 1 and not token.startswith("--"):
            excluded.append(token[1:].strip('"'))
        else:
            kept.append(token)
    return " ".join(kept), [e for e in excluded if e]


def _search_ids(
    qs: QuerySet[Character], q: str, *, offset: int, limit: int
) -> list[int]:
    """Ids of one page of search results, ranked, in one statement.

    Candidates are the SEARCH_CANDIDATES most trending full-text matches and
    names within trigram distance (the ``%>`` operator), found separately (with
    the two in one OR, PostgreSQL misjudges how many rows match and walks the
    whole table). Only candidates are ranked, so a common word cannot make a
    request rank the catalog.
    """
    from django.contrib.postgres.search import SearchQuery

    def websearch(text: str) -> SearchQuery:
        return SearchQuery(
            text, search_type="websearch", config="simple"
        ) | SearchQuery(text, search_type="websearch", config="english")

    positive, excluded = _split_excluded(q)
    if excluded:
        # ``-word`` excludes in both branches: the trigram one does not read the
        # full-text operators.
        qs = qs.filter(
            Q(search_vector__isnull=True)
            | ~Q(search_vector=websearch(" or ".join(excluded)))
        )
    several = len(q.split()) > 1
    fts, fts_params = _candidates_sql(
        qs, Q(search_vector=websearch(q)), several_words=several
    )
    trgm, trgm_params = _candidates_sql(
        qs, Q(name__trigram_word_similar=positive), several_words=several
    )
    sql = _SEARCH_SQL.format(fts=fts, trgm=trgm)
    params = (
        *fts_params, *trgm_params, SEARCH_CANDIDATES, q, q, positive, offset, limit,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(pk) for (pk,) in cursor.fetchall()]


def _search_page(
    qs: QuerySet[Character], q: str, *, cursor: str | None, size: int
) -> Page:
    """Search: PostgreSQL full-text rank plus trigram similarity (typos still
    match); SQLite falls back to substring matching. Paged by offset in the
    cursor: search results are short-lived and ranked, not a stable key."""
    offset = 0
    if cursor:
        try:
            raw = json.loads(
                base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            )
            if raw[0] != "search" or not isinstance(raw[1], int) or raw[1] < 0:
                raise ValueError
            offset = raw[1]
        except (ValueError, TypeError, IndexError) as exc:
            raise BadCursor(
                "The cursor is not valid; start again from the first page."
            ) from exc
    if connection.vendor == "postgresql":
        ids = _search_ids(qs, q, offset=offset, limit=size + 1)
        by_pk = Character.objects.defer(*LIST_DEFER).select_related("owner__profile")
        found = {c.pk: c for c in by_pk.filter(pk__in=ids)}
        items = [found[pk] for pk in ids if pk in found]
    else:
        items = list(
            qs.filter(
                Q(name__icontains=q)
                | Q(tagline__icontains=q)
                | Q(tags_text__icontains=q)
                | Q(description__icontains=q, definition_visible=True)
                | Q(owner__profile__handle__icontains=q)
            )
            .order_by("-trending_score", "-pk")
            .select_related("owner__profile")[offset : offset + size + 1]
        )
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        raw = json.dumps(["search", offset + size]).encode()
        next_cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return Page(items=items, next_cursor=next_cursor)


def rails_cache_key(user: User | AnonymousUser, suffix: str) -> str:
    """Cache key for something derived from the rails: the same for everyone
    who sees the same content ratings, forgotten by ``rails_cache_bust``."""
    from django.core.cache import cache

    generation = cache.get_or_set(RAILS_GENERATION_KEY, 0, None)
    return f"characters:rails:{generation}:{int(viewer_sees_mature(user))}:{suffix}"


def category_rails(
    *, user: User | AnonymousUser, per_category: int = 8, rails: int = 5
) -> list[tuple[str, str, list[Character]]]:
    """The top trending listed characters of the ``rails`` hottest categories.

    On PostgreSQL one query: a UNION ALL of per-category index scans
    (char_cat_trend_idx), not a window function ranking the whole table.
    Not cached here: Discover caches the rails it renders, per audience
    (``rails_cache_key``), which is all that reads them.
    """
    base = listed(user)
    ranked: list[Character]
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [
            base.filter(category=c)
            .order_by("-trending_score", "-pk")
            .values("pk")[:per_category]
            for c in Category.values
        ]
        ids = parts[0].union(*parts[1:], all=True)
        ranked = list(
            Character.objects.filter(pk__in=ids)
            .defer(*LIST_DEFER)
            .select_related("owner__profile")
            .order_by("category", "-trending_score", "-pk")
        )
    else:  # SQLite (the quick start): a window function over a small table
        from django.db.models import F, Window
        from django.db.models.functions import RowNumber

        ranked = list(
            base.annotate(
                rail_rank=Window(
                    RowNumber(),
                    partition_by=[F("category")],
                    order_by=[F("trending_score").desc(), F("id").desc()],
                )
            )
            .filter(rail_rank__lte=per_category)
            .select_related("owner__profile")
            .order_by("category", "rail_rank")
        )
    by_category: dict[str, list[Character]] = {}
    for character in ranked:
        by_category.setdefault(character.category, []).append(character)
    labels = dict(Category.choices)
    hottest = sorted(
        by_category, key=lambda c: -max(x.trending_score for x in by_category[c])
    )
    return [(value, labels[value], by_category[value]) for value in hottest[:rails]]


def similar_characters(
    *, character: Character, user: User | AnonymousUser, limit: int = 6
) -> list[Character]:
    """Listed characters sharing the category, most shared tags first."""
    tag_ids = list(character.tags.values_list("id", flat=True))
    from django.db.models import Count

    qs = (
        listed(user)
        .exclude(pk=character.pk)
        .filter(Q(category=character.category) | Q(tags__in=tag_ids))
    )
    qs = qs.annotate(shared=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
    return list(
        qs.select_related("owner__profile").order_by(
            "-shared", "-trending_score", "-pk"
        )[:limit]
    )


def version_list(*, character: Character) -> QuerySet[CharacterVersion]:
    return character.versions.select_related("created_by__profile").order_by("-number")


def owned_characters(*, user: User) -> QuerySet[Character]:
    return Character.objects.filter(owner=user, deleted_at__isnull=True).order_by(
        "-updated_at"
    )
