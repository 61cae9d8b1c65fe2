"""Reads for accounts and profiles."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from characters.models import Character, ContentRating, Visibility
from characters.selectors import listed, viewer_sees_mature
from community.models import (
    AccessToken,
    Block,
    Board,
    CharacterFollow,
    CharacterLike,
    CharacterRating,
    Comment,
    FeedEvent,
    Follow,
    Moment,
    Notification,
    Post,
    PostVote,
    Profile,
    SharedChat,
    SharedChatLike,
    User,
)
from community.services import (
    BOARD_ROWS_CACHE_PREFIX,
    BOARD_ROWS_GENERATION_KEY,
    BOARDS_CACHE_KEY,
    TOKEN_PREFIX,
    board_rows_generation_new,
    token_digest,
)
from config.cursors import BadCursor, cursor_decode, cursor_encode


def profile_get_by_handle(*, handle: str) -> Profile:
    try:
        return Profile.objects.select_related("user").get(
            handle=handle.lower(), user__is_active=True
        )
    except Profile.DoesNotExist:
        raise Http404("No such profile.") from None


def _profile_and_block(
    *, handle: str, user: User | AnonymousUser
) -> tuple[Profile, bool]:
    """The profile at ``handle`` as ``user`` may see it, and whether ``user``
    blocked its owner. 404, as for a handle that does not exist, when the
    owner blocked ``user`` (unless ``user`` blocked them too: a blocker opens
    the profile to unblock). One query for the blocks."""
    profile = profile_get_by_handle(handle=handle)
    if not user.is_authenticated or profile.user_id == user.pk:
        return profile, False
    blockers = set(
        Block.objects.filter(
            Q(blocker_id=user.pk, blocked_id=profile.user_id)
            | Q(blocker_id=profile.user_id, blocked_id=user.pk)
        ).values_list("blocker_id", flat=True)
    )
    viewer_blocked = user.pk in blockers
    if profile.user_id in blockers and not viewer_blocked:
        raise Http404("No such profile.")
    return profile, viewer_blocked


def profile_get_for_user(*, handle: str, user: User | AnonymousUser) -> Profile:
    """The profile at ``handle`` if ``user`` may see it (``profile_view``'s
    rule), else ``Http404("No such profile.")``: every route under a profile
    (follow, block) uses it, so none tells a blocked user more than the
    profile page does."""
    return _profile_and_block(handle=handle, user=user)[0]


def token_list_for_user(*, user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user)


def token_get_for_user(*, user: User, token_id: int) -> AccessToken:
    try:
        return AccessToken.objects.get(user=user, pk=token_id)
    except AccessToken.DoesNotExist:
        raise Http404("No such token.") from None


class TokenInvalid(Exception):
    """The presented secret is malformed, unknown or revoked (the message says which
    only in kind, never whether another user's token exists)."""


def token_authenticate(*, secret: str) -> AccessToken:
    if not secret.startswith(TOKEN_PREFIX) or not 20 <= len(secret) <= 100:
        raise TokenInvalid("Malformed access token.")
    try:
        token = AccessToken.objects.select_related("user").get(
            digest=token_digest(secret)
        )
    except AccessToken.DoesNotExist:
        raise TokenInvalid("Invalid access token.") from None
    if token.revoked_at is not None:
        raise TokenInvalid("This access token has been revoked.")
    if not token.user.is_active:
        raise TokenInvalid("Invalid access token.")
    return token


# --- Community reads ----------------------------------------------------------
# Who sees what: a character shows up in any community list only while it is
# published, public (feeds) or public/unlisted (direct links), not deleted, and
# mature only for adults who opted in; private characters exist for their owner
# alone. Blocks hide both users from each other. Every list below is a fixed
# number of queries whatever the page size (select_related / one prefetch).

FEED_KINDS = ("home", "trending", "new")
BOARD_SORTS = ("hot", "new", "top")
TOP_RANGES = ("day", "week", "all")
FEED_PAGE = 20
MAX_PAGE = 50


def blocked_user_ids(*, user: User | AnonymousUser) -> set[int]:
    """Ids of users blocked by ``user`` or blocking ``user`` (hide them both ways).

    For other apps (search, chat rooms): one query."""
    if not user.is_authenticated:
        return set()
    ids: set[int] = set()
    for blocker_id, blocked_id in Block.objects.filter(
        Q(blocker_id=user.pk) | Q(blocked_id=user.pk)
    ).values_list("blocker_id", "blocked_id"):
        ids.add(blocked_id if blocker_id == user.pk else blocker_id)
    return ids


def character_listed_q(user: User | AnonymousUser, prefix: str = "character__") -> Q:
    """Characters that may be listed to ``user`` (feeds, profiles): published,
    public, not deleted, mature only for who opted in."""
    q = Q(
        **{
            f"{prefix}deleted_at__isnull": True,
            f"{prefix}published_version__isnull": False,
            f"{prefix}visibility": Visibility.PUBLIC,
        }
    )
    if not viewer_sees_mature(user):
        q &= Q(**{f"{prefix}content_rating": ContentRating.GENERAL})
    return q


def character_visible_to(
    character: Character | None, user: User | AnonymousUser, sees_mature: bool
) -> bool:
    """In Python, on an already-loaded character (embeds): may ``user`` open it?"""
    if character is None or character.deleted_at is not None:
        return False
    if user.is_authenticated and character.owner_id == user.pk:
        return True
    if character.published_version_id is None:
        return False
    if character.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
        return False
    return sees_mature or character.content_rating == ContentRating.GENERAL


def share_visible_to(
    share: SharedChat,
    user: User | AnonymousUser,
    *,
    sees_mature: bool,
    author_blocked: bool,
) -> bool:
    """In Python, on an already-loaded share with its character: may ``user``
    open it? Published (its author also opens an unpublished one), no block
    between ``user`` and its author (``author_blocked``, known to the caller
    from ``blocked_user_ids`` or the board's post states), its character
    visible to ``user``. The one rule of the share page
    (``share_get_for_user``) and of the embeds of shares in posts."""
    if share.unpublished_at is not None and not (
        user.is_authenticated and share.author_id == user.pk
    ):
        return False
    return not author_blocked and character_visible_to(
        share.character, user, sees_mature
    )


def _page_size(size: int | None, default: int = FEED_PAGE) -> int:
    return max(1, min(size or default, MAX_PAGE))


@dataclass(frozen=True)
class FeedItem:
    kind: str  # "character" | "moment" | "post"
    created_at: dt.datetime
    actor: User
    character: Character | None
    moment: Moment | None
    post: Post | None
    character_visible: bool  # for a post's embed
    share: SharedChat | None = None
    # For a post's shared chat (``share_visible_to``); a "share" item's own
    # share is checked by the feed query.
    share_visible: bool = False
    voted: bool = False  # the viewer upvoted the item's post


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None


# Columns a feed or board row shows (pages and API), per joined model. Rows
# load only these: the full models carry the character definition, draft JSON
# and search vector, user passwords and profile bios, none of which a list shows,
# and building ~9 full model instances per row was most of a page's time.
_PROFILE_FIELDS = ("id", "user_id", "handle", "display_name", "avatar")
# Shown in embeds, plus what ``character_visible_to`` checks.
_CHARACTER_FIELDS = (
    "id",
    "owner_id",
    "slug",
    "name",
    "tagline",
    "avatar",
    "likes_count",
    "rating_sum",
    "rating_count",
    "visibility",
    "content_rating",
    "published_version_id",
    "deleted_at",
)
_POST_FIELDS = (
    "id",
    "board_id",
    "author_id",
    "title",
    "body",  # the API returns the source
    "body_html",
    "character_id",
    "share_id",
    "score",
    "hot",
    "comments_count",
    "created_at",
)
_BOARD_FIELDS = ("id", "slug", "name")
# ``turns`` only for the embed's message count; the author and the character
# for ``share_visible_to``.
_SHARE_FIELDS = (
    "id",
    "author_id",
    "character_id",
    "title",
    "note_html",
    "turns",
    "likes_count",
    "unpublished_at",
)
# A shared chat's character is shown nowhere in a row, only checked.
_CHARACTER_CHECK_FIELDS = (
    "id",
    "owner_id",
    "visibility",
    "content_rating",
    "published_version_id",
    "deleted_at",
)
_MOMENT_FIELDS = ("id", "body_html", "image")


def _fields(prefix: str, names: tuple[str, ...]) -> list[str]:
    return [f"{prefix}{name}" for name in names]


def _post_row_fields(*, board: bool) -> list[str]:
    """``only()`` arguments for a post with its author's profile, character,
    share and (if joined) board, as loaded by the board and trending lists."""
    return [
        *_POST_FIELDS,
        "author__id",
        *_fields("author__profile__", _PROFILE_FIELDS),
        *(_fields("board__", _BOARD_FIELDS) if board else []),
        *_fields("character__", _CHARACTER_FIELDS),
        *_fields("share__", _SHARE_FIELDS),
        *_fields("share__character__", _CHARACTER_CHECK_FIELDS),
    ]


def _post_visible_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """A post is listed unless deleted; its embedded character is only shown
    when visible (checked in Python), the post itself stays."""
    return Q(**{f"{prefix}deleted_at__isnull": True})


def feed_page(
    *,
    user: User | AnonymousUser,
    kind: str = "home",
    cursor: str | None = None,
    size: int | None = None,
) -> FeedPage:
    """Home: what the people and characters ``user`` follows did, newest first.
    Trending: hottest posts site-wide. New: everything, newest first.

    Raises ``ValueError`` (``BadCursor``) with a message for the user."""
    if kind not in FEED_KINDS:
        raise ValueError(f"Unknown feed “{kind}”; use one of: {', '.join(FEED_KINDS)}.")
    size = _page_size(size)
    blocked = blocked_user_ids(user=user)
    sees_mature = viewer_sees_mature(user)
    if kind == "trending":
        return _trending_page(
            user=user,
            blocked=blocked,
            sees_mature=sees_mature,
            cursor=cursor,
            size=size,
        )
    qs = FeedEvent.objects.all()
    if kind == "home":
        if not user.is_authenticated:
            return FeedPage(items=[], next_cursor=None)
        qs = qs.filter(
            Q(
                actor_id__in=Follow.objects.filter(follower_id=user.pk).values(
                    "followee_id"
                )
            )
            | Q(
                character_id__in=CharacterFollow.objects.filter(user_id=user.pk).values(
                    "character_id"
                )
            )
        )
    # Events about a character show only while it is listed; post events
    # without a character always show (their embed is checked separately).
    qs = qs.filter(Q(character__isnull=True) | character_listed_q(user))
    qs = qs.filter(Q(post__isnull=True) | Q(post__deleted_at__isnull=True))
    qs = qs.filter(Q(share__isnull=True) | Q(share__unpublished_at__isnull=True))
    if blocked:
        qs = qs.exclude(actor_id__in=blocked)
    if cursor:
        when, pk = cursor_decode(cursor, f"feed-{kind}", when=True)
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
    # Two steps: the ids with the lean filter query (one index scan), then the
    # rows with their joins. PostgreSQL plans the filter badly when it also has
    # to carry eight LEFT JOINs for select_related (44 ms → 2 ms at bench scale).
    ids = list(
        qs.order_by("-created_at", "-pk").values_list("pk", flat=True)[: size + 1]
    )
    # A post's feed event has the post's author as actor and the post's
    # character as character (``services.post_create``; neither changes later),
    # so those two are joined once, through the event, and handed to the post
    # below: fewer joins to plan and fewer instances to build per row.
    events = FeedEvent.objects.all()
    if user.is_authenticated:
        # The viewer's vote on a post event's post, in the rows' query (as
        # ``_with_vote`` does for a board's posts): no query of its own.
        events = events.annotate(
            post_voted=Exists(
                PostVote.objects.filter(post_id=OuterRef("post_id"), user_id=user.pk)
            )
        )
    by_id = (
        events.select_related(
            "actor__profile",
            "character",
            "moment",
            "post__board",
            "post__share__character",
            "share",
        )
        .only(
            "kind",
            "actor_id",
            "character_id",
            "moment_id",
            "post_id",
            "share_id",
            "created_at",
            "actor__id",
            *_fields("actor__profile__", _PROFILE_FIELDS),
            *_fields("character__", _CHARACTER_FIELDS),
            *_fields("moment__", _MOMENT_FIELDS),
            *_fields("post__", _POST_FIELDS),
            *_fields("post__board__", _BOARD_FIELDS),
            *_fields("post__share__", _SHARE_FIELDS),
            *_fields("post__share__character__", _CHARACTER_CHECK_FIELDS),
            *_fields("share__", _SHARE_FIELDS),
        )
        .in_bulk(ids)
    )
    rows = [by_id[i] for i in ids if i in by_id]
    for e in rows:
        if e.post is not None:
            if e.post.author_id == e.actor_id:
                e.post.author = e.actor
            if e.post.character_id == e.character_id:
                e.post.character = e.character
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = cursor_encode(f"feed-{kind}", rows[-1].created_at, rows[-1].pk)
    items = [
        FeedItem(
            kind=e.kind,
            created_at=e.created_at,
            actor=e.actor,
            character=e.character,
            moment=e.moment,
            post=e.post,
            character_visible=character_visible_to(
                e.post.character if e.post is not None else e.character,
                user,
                sees_mature,
            ),
            share=e.share,
            share_visible=_post_share_visible(e.post, user, sees_mature, blocked),
            voted=e.post is not None and bool(getattr(e, "post_voted", False)),
        )
        for e in rows
    ]
    return FeedPage(items=items, next_cursor=next_cursor)


def _post_share_visible(
    post: Post | None,
    user: User | AnonymousUser,
    sees_mature: bool,
    blocked: set[int],
) -> bool:
    """Whether ``user`` may open the shared chat of ``post`` (loaded with its
    character), ``blocked`` being ``blocked_user_ids(user=user)``."""
    share = post.share if post is not None else None
    return share is not None and share_visible_to(
        share,
        user,
        sees_mature=sees_mature,
        author_blocked=share.author_id in blocked,
    )


def _trending_page(
    *,
    user: User | AnonymousUser,
    blocked: set[int],
    sees_mature: bool,
    cursor: str | None,
    size: int,
) -> FeedPage:
    qs = Post.objects.filter(deleted_at__isnull=True)
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
    if cursor:
        hot, pk = cursor_decode(cursor, "feed-trending", when=False)
        qs = qs.filter(Q(hot__lt=hot) | Q(hot=hot, pk__lt=pk))
    rows = list(
        _with_vote(qs, user)
        .select_related("author__profile", "board", "character", "share__character")
        .only(*_post_row_fields(board=True))
        .order_by("-hot", "-pk")[: size + 1]
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = cursor_encode("feed-trending", rows[-1].hot, rows[-1].pk)
    return FeedPage(
        items=[
            FeedItem(
                kind="post",
                created_at=p.created_at,
                actor=p.author,
                character=None,
                moment=None,
                post=p,
                character_visible=character_visible_to(p.character, user, sees_mature),
                share_visible=_post_share_visible(p, user, sees_mature, blocked),
                voted=bool(getattr(p, "voted", False)),
            )
            for p in rows
        ],
        next_cursor=next_cursor,
    )


BOARDS_CACHE_SECONDS = 60


def board_list() -> list[Board]:
    """All boards, in sidebar order. They are the same for everyone and change
    only through ``services.board_create`` (which drops the cache), so they are
    cached: one query less on every community page. The expiry only bounds
    edits made outside the services."""
    # No post counts here: counting 200,000 posts on every page cost 120 ms.
    boards: list[Board] | None = cache.get(BOARDS_CACHE_KEY)
    if boards is None:
        boards = list(Board.objects.order_by("position", "name"))
        cache.set(BOARDS_CACHE_KEY, boards, BOARDS_CACHE_SECONDS)
    return boards


def board_get_with_list(*, slug: str) -> tuple[Board, list[Board]]:
    """The board and all boards (the sidebar), from the cached list."""
    boards = board_list()
    for board in boards:
        if board.slug == slug:
            return board, boards
    return board_get(slug=slug), boards  # not cached yet, or 404


def board_get(*, slug: str) -> Board:
    try:
        return Board.objects.get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None


@dataclass(frozen=True)
class PostRow:
    post: Post
    voted: bool
    character_visible: bool
    share_visible: bool  # ``share_visible_to`` of the post's shared chat
    author: Profile  # the post author's profile (board rows do not load the user)


@dataclass(frozen=True)
class PostPage:
    items: list[PostRow]
    next_cursor: str | None


def _with_vote(qs: QuerySet[Post], user: User | AnonymousUser) -> QuerySet[Post]:
    if not user.is_authenticated:
        return qs.annotate(voted=Value(False, output_field=BooleanField()))
    return qs.annotate(
        voted=Exists(PostVote.objects.filter(post_id=OuterRef("pk"), user_id=user.pk))
    )


# Board rows are cached: the rows of a page are the same for every viewer
# without blocks, and building them (the row query, ~20 posts with profile,
# character and share instances) was most of the Hot board page's time. What
# differs per viewer or must never be stale is read fresh on every request, in
# one query by primary key (``_post_states``): the viewer's votes, scores and
# comment counts, deletions, and everything ``character_visible_to`` and the
# share embed decide on (a character made private, a share unpublished). The
# cache holds only what every viewer sees alike, for at most
# ``BOARD_ROWS_SECONDS``; a new or deleted post and the hot-score refresh
# change the generation (``services.board_rows_changed``), so new posts show at
# once. When the page holds a post of someone the viewer blocked or is blocked
# by (the post states say), it is read again without the cache and without
# those authors, so that the page is still full.
BOARD_ROWS_SECONDS = 30


@dataclass(frozen=True)
class _BoardRows:
    generation: str
    posts: list[Post]  # no per-viewer state: no ``voted``
    next_cursor: str | None


def _board_tag(sort: str, top_range: str) -> str:
    """The cursor tag of a board list (a cursor is only valid for its list)."""
    return f"board-{sort}-{top_range if sort == 'top' else ''}"


def _board_rows_query(
    *,
    board: Board,
    sort: str,
    top_range: str,
    cursor: str | None,
    size: int,
    exclude: set[int],
) -> tuple[list[Post], str | None]:
    """A page of a board's posts in ``sort`` order, without ``exclude``d
    authors, and the next page's cursor. Raises ``BadCursor``."""
    qs = Post.objects.filter(board=board, deleted_at__isnull=True)
    if exclude:
        qs = qs.exclude(author_id__in=exclude)
    tag = _board_tag(sort, top_range)
    key = {"hot": "hot", "new": "created_at", "top": "score"}[sort]
    if sort == "top" and top_range != "all":
        days = 1 if top_range == "day" else 7
        qs = qs.filter(created_at__gte=timezone.now() - dt.timedelta(days=days))
    if cursor:
        last, pk = cursor_decode(cursor, tag, when=sort == "new")
        qs = qs.filter(Q(**{f"{key}__lt": last}) | Q(**{key: last, "pk__lt": pk}))
    # The author's profile through ``Post.author_profile`` (joined on author_id,
    # not through community_user): one relation less for PostgreSQL to plan.
    rows = list(
        qs.select_related("author_profile", "character", "share")
        .only(
            *_POST_FIELDS,
            *_fields("author_profile__", _PROFILE_FIELDS),
            *_fields("character__", _CHARACTER_FIELDS),
            *_fields("share__", _SHARE_FIELDS),
        )
        .order_by(f"-{key}", "-pk")[: size + 1]
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = cursor_encode(tag, getattr(rows[-1], key), rows[-1].pk)
    return rows, next_cursor


def _board_rows_cached(
    *, board: Board, sort: str, top_range: str, cursor: str | None, size: int
) -> tuple[list[Post], str | None]:
    """``_board_rows_query`` without exclusions, through the cache (the rows
    carry nothing that differs per viewer).

    One cache round trip: the generation and the rows are read together, and
    rows stored under another generation are ignored."""
    if cursor:
        # Checked before it becomes part of a key (the query checks it again);
        # hashed, as a well-formed cursor can still be long.
        cursor_decode(cursor, _board_tag(sort, top_range), when=sort == "new")
        cursor_key = hashlib.blake2b(cursor.encode(), digest_size=16).hexdigest()
    else:
        cursor_key = ""
    key = f"{BOARD_ROWS_CACHE_PREFIX}{board.pk}:{sort}:{top_range}:{size}:{cursor_key}"
    got = cache.get_many([BOARD_ROWS_GENERATION_KEY, key])
    generation = got.get(BOARD_ROWS_GENERATION_KEY)
    if not isinstance(generation, str):
        # None yet (or evicted): start one; any rows stored before are ignored.
        cache.add(BOARD_ROWS_GENERATION_KEY, board_rows_generation_new(), None)
        generation = cache.get(BOARD_ROWS_GENERATION_KEY) or ""
    cached = got.get(key)
    if isinstance(cached, _BoardRows) and cached.generation == generation:
        return cached.posts, cached.next_cursor
    posts, next_cursor = _board_rows_query(
        board=board,
        sort=sort,
        top_range=top_range,
        cursor=cursor,
        size=size,
        exclude=set(),
    )
    if generation:
        cache.set(key, _BoardRows(generation, posts, next_cursor), BOARD_ROWS_SECONDS)
    return posts, next_cursor


class _PostState(NamedTuple):
    """A post's columns that may change any moment or differ per viewer."""

    score: int
    comments_count: int
    deleted_at: dt.datetime | None
    character_id: int | None
    share_id: int | None
    character_visibility: str | None
    character_deleted_at: dt.datetime | None
    character_published_version_id: int | None
    character_content_rating: str | None
    character_owner_id: int | None
    share_unpublished_at: dt.datetime | None
    # The share's author and its character's columns that decide whether the
    # viewer may open it (``share_visible_to``).
    share_author_id: int | None
    share_character_id: int | None
    share_character_visibility: str | None
    share_character_deleted_at: dt.datetime | None
    share_character_published_version_id: int | None
    share_character_content_rating: str | None
    share_character_owner_id: int | None
    voted: bool  # by the viewer
    blocked: bool  # a block stands between the viewer and the author
    share_blocked: bool  # a block stands between the viewer and the share's author


# One statement, written out: the ORM spent ~4 ms building and compiling this
# query (two correlated EXISTS, an OR) against ~1 ms for PostgreSQL to plan,
# run and return it; it runs on every board page. The viewer is NULL for
# anonymous visitors, which no vote or block matches. Timestamps come back as
# text on SQLite (the quick start): ``_db_datetime``.
_POST_STATES_SQL = """
SELECT p.id, p.score, p.comments_count, p.deleted_at, p.character_id, p.share_id,
  c.visibility, c.deleted_at, c.published_version_id, c.content_rating, c.owner_id,
  s.unpublished_at, s.author_id, s.character_id,
  sc.visibility, sc.deleted_at, sc.published_version_id, sc.content_rating,
  sc.owner_id,
  EXISTS (SELECT 1 FROM community_postvote v
          WHERE v.post_id = p.id AND v.user_id = %s),
  EXISTS (SELECT 1 FROM community_block b
          WHERE (b.blocker_id = %s AND b.blocked_id = p.author_id)
             OR (b.blocker_id = p.author_id AND b.blocked_id = %s)),
  s.id IS NOT NULL AND EXISTS (SELECT 1 FROM community_block b
          WHERE (b.blocker_id = %s AND b.blocked_id = s.author_id)
             OR (b.blocker_id = s.author_id AND b.blocked_id = %s))
FROM community_post p
LEFT JOIN characters_character c ON c.id = p.character_id
LEFT JOIN community_sharedchat s ON s.id = p.share_id
LEFT JOIN characters_character sc ON sc.id = s.character_id
WHERE p.id IN ({ids})
"""


def _db_datetime(value: object) -> dt.datetime | None:
    """A timestamp read with a raw cursor: a datetime from PostgreSQL, UTC text
    from SQLite."""
    if value is None or isinstance(value, dt.datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _post_states(
    *, ids: list[int], user: User | AnonymousUser
) -> dict[int, _PostState]:
    """The ``_PostState`` of the posts ``ids`` for ``user``: one query by
    primary key. It also answers whether a block stands between the viewer
    and each author, so that a viewer without blocks on the page (nearly
    everyone) needs no separate blocks query."""
    if not ids:
        return {}
    viewer = user.pk if user.is_authenticated else None
    sql = _POST_STATES_SQL.format(ids=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [viewer, viewer, viewer, viewer, viewer, *ids])
        rows = cursor.fetchall()
    return {
        row[0]: _PostState(
            score=row[1],
            comments_count=row[2],
            deleted_at=_db_datetime(row[3]),
            character_id=row[4],
            share_id=row[5],
            character_visibility=row[6],
            character_deleted_at=_db_datetime(row[7]),
            character_published_version_id=row[8],
            character_content_rating=row[9],
            character_owner_id=row[10],
            share_unpublished_at=_db_datetime(row[11]),
            share_author_id=row[12],
            share_character_id=row[13],
            share_character_visibility=row[14],
            share_character_deleted_at=_db_datetime(row[15]),
            share_character_published_version_id=row[16],
            share_character_content_rating=row[17],
            share_character_owner_id=row[18],
            voted=bool(row[19]),
            blocked=bool(row[20]),
            share_blocked=bool(row[21]),
        )
        for row in rows
    }


def board_posts_page(
    *,
    board: Board,
    user: User | AnonymousUser,
    sort: str = "hot",
    top_range: str = "week",
    cursor: str | None = None,
    size: int | None = None,
) -> PostPage:
    """A page of a board's posts for ``user``: the rows (from the cache, see
    ``BOARD_ROWS_SECONDS``) with the viewer's state and the volatile columns
    read fresh. A fixed number of queries: the post states and the
    mature-content check, plus the rows on a cache miss; plus the blocks, the
    rows without the blocked authors and their states when the page holds a
    post of someone the viewer blocked or is blocked by.

    Raises ``ValueError`` (``BadCursor``) with a message for the user."""
    if sort not in BOARD_SORTS:
        raise ValueError(
            f"Unknown sort “{sort}”; use one of: {', '.join(BOARD_SORTS)}."
        )
    if top_range not in TOP_RANGES:
        raise ValueError(
            f"Unknown range “{top_range}”; use one of: {', '.join(TOP_RANGES)}."
        )
    size = _page_size(size)
    if sort != "top":
        top_range = ""
    posts, next_cursor = _board_rows_cached(
        board=board, sort=sort, top_range=top_range, cursor=cursor, size=size
    )
    states = _post_states(ids=[p.pk for p in posts], user=user)
    if any(state.blocked for state in states.values()):
        # Read the page again without them, so that it is still full and
        # the next cursor continues after what this viewer saw.
        posts, next_cursor = _board_rows_query(
            board=board,
            sort=sort,
            top_range=top_range,
            cursor=cursor,
            size=size,
            exclude=blocked_user_ids(user=user),
        )
        states = _post_states(ids=[p.pk for p in posts], user=user)
    sees_mature = viewer_sees_mature(user)
    items = []
    for p in posts:
        state = states.get(p.pk)
        if state is None or state.deleted_at is not None or state.blocked:
            continue  # deleted since the rows were read (or blocked since)
        p.score = state.score
        p.comments_count = state.comments_count
        character = p.character if state.character_id == p.character_id else None
        if character is not None:
            character.visibility = state.character_visibility or ""
            character.deleted_at = state.character_deleted_at
            character.published_version_id = state.character_published_version_id
            character.content_rating = state.character_content_rating or ""
            character.owner_id = state.character_owner_id or 0
        else:
            p.character = None  # unlinked since (the character was deleted)
        share = p.share if state.share_id == p.share_id else None
        if share is not None:
            share.unpublished_at = state.share_unpublished_at
            # Only checked, never shown: built from the fresh columns rather
            # than joined into the cached rows.
            share.character = Character(
                pk=state.share_character_id,
                owner_id=state.share_character_owner_id or 0,
                visibility=state.share_character_visibility or "",
                deleted_at=state.share_character_deleted_at,
                published_version_id=state.share_character_published_version_id,
                content_rating=state.share_character_content_rating or "",
            )
        else:
            p.share = None  # unlinked since (the share was deleted)
        p.board = board  # all of them: no need to join it
        items.append(
            PostRow(
                post=p,
                voted=bool(state.voted),
                character_visible=character_visible_to(character, user, sees_mature),
                share_visible=share is not None
                and share_visible_to(
                    share,
                    user,
                    sees_mature=sees_mature,
                    author_blocked=state.share_blocked,
                ),
                author=p.author_profile,
            )
        )
    return PostPage(items=items, next_cursor=next_cursor)


def post_get_for_user(*, post_id: int, user: User | AnonymousUser) -> PostRow:
    """A post (404 when deleted, or hidden by a block either way)."""
    qs = _with_vote(
        Post.objects.filter(pk=post_id, deleted_at__isnull=True), user
    ).select_related(
        "author__profile", "character__owner__profile", "board", "share__character"
    )
    post = qs.first()
    blocked = blocked_user_ids(user=user)
    if post is None or post.author_id in blocked:
        raise Http404("No such post.")
    sees_mature = viewer_sees_mature(user)
    return PostRow(
        post=post,
        voted=bool(getattr(post, "voted", False)),
        character_visible=character_visible_to(post.character, user, sees_mature),
        share_visible=_post_share_visible(post, user, sees_mature, blocked),
        author=post.author.profile,
    )


@dataclass(frozen=True)
class CommentPage:
    items: list[Comment]  # top-level, each with ``visible_replies``
    next_cursor: str | None


def comments_page(
    *,
    user: User | AnonymousUser,
    character: Character | None = None,
    post: Post | None = None,
    share: SharedChat | None = None,
    cursor: str | None = None,
    size: int | None = None,
) -> CommentPage:
    """Top-level comments (pinned first, then newest) with their replies: two
    queries. The caller has checked that ``user`` may see the target."""
    size = _page_size(size)
    qs = Comment.objects.filter(parent__isnull=True)
    if character is not None:
        qs = qs.filter(character=character)
    elif post is not None:
        qs = qs.filter(post=post)
    elif share is not None:
        qs = qs.filter(share=share)
    else:
        raise ValueError("comments_page needs a character, a post or a share.")
    blocked = blocked_user_ids(user=user)
    replies = Comment.objects.select_related("author__profile").order_by(
        "created_at", "pk"
    )
    if blocked:
        qs = qs.exclude(author_id__in=blocked)
        replies = replies.exclude(author_id__in=blocked)
    if cursor:
        # Keyset on (pinned, created_at, id) descending.
        try:
            raw = json.loads(
                base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            )
            tag, pinned, when_s, pk = raw
            when = parse_datetime(when_s)
            if tag != "comments" or when is None or not isinstance(pk, int):
                raise ValueError
        except (ValueError, TypeError) as exc:
            raise BadCursor(
                "The cursor is not valid; start again from the first page."
            ) from exc
        qs = qs.filter(
            Q(pinned__lt=bool(pinned))
            | Q(pinned=bool(pinned), created_at__lt=when)
            | Q(pinned=bool(pinned), created_at=when, pk__lt=pk)
        )
    rows: list[Comment] = list(
        qs.select_related("author__profile")
        .prefetch_related(
            Prefetch("replies", queryset=replies, to_attr="visible_replies")
        )
        .order_by("-pinned", "-created_at", "-pk")[: size + 1]
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        raw_c = json.dumps(
            ["comments", last.pinned, last.created_at.isoformat(), last.pk]
        ).encode()
        next_cursor = base64.urlsafe_b64encode(raw_c).decode().rstrip("=")
    return CommentPage(items=rows, next_cursor=next_cursor)


def comment_get(*, comment_id: int) -> Comment:
    try:
        return Comment.objects.select_related("author__profile").get(pk=comment_id)
    except Comment.DoesNotExist:
        raise Http404("No such comment.") from None


@dataclass(frozen=True)
class SocialState:
    liked: bool
    following: bool
    my_stars: int | None
    followers: int


def character_social_state(
    *, character: Character, user: User | AnonymousUser
) -> SocialState:
    """The viewer's like / follow / rating of a character, in one query."""
    followers_sq = (
        CharacterFollow.objects.filter(character_id=character.pk)
        .order_by()
        .values("character_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    if not user.is_authenticated:
        n = CharacterFollow.objects.filter(character_id=character.pk).count()
        return SocialState(liked=False, following=False, my_stars=None, followers=n)
    row = (
        Profile.objects.filter(user_id=user.pk)
        .annotate(
            liked=Exists(
                CharacterLike.objects.filter(user_id=user.pk, character_id=character.pk)
            ),
            following=Exists(
                CharacterFollow.objects.filter(
                    user_id=user.pk, character_id=character.pk
                )
            ),
            my_stars=Subquery(
                CharacterRating.objects.filter(
                    user_id=user.pk, character_id=character.pk
                ).values("stars")[:1]
            ),
            followers=Coalesce(Subquery(followers_sq), 0),
        )
        .values("liked", "following", "my_stars", "followers")
        .first()
    )
    if row is None:
        return SocialState(liked=False, following=False, my_stars=None, followers=0)
    return SocialState(
        liked=bool(row["liked"]),
        following=bool(row["following"]),
        my_stars=row["my_stars"],
        followers=int(row["followers"]),
    )


def moments_for_character(*, character: Character, limit: int = 10) -> list[Moment]:
    return list(
        Moment.objects.filter(character=character)
        .select_related("author__profile")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None


def _notification_visible_q(user_id: int) -> Q:
    """Never point at what the recipient may no longer see: a character made
    private or deleted since (the notification's own, or a shared chat's), a
    deleted post, an unpublished shared chat."""

    def character_ok(field: str) -> Q:
        return Q(**{f"{field}__deleted_at__isnull": True}) & (
            Q(**{f"{field}__owner_id": user_id})
            | Q(
                **{
                    f"{field}__published_version__isnull": False,
                    f"{field}__visibility__in": [
                        Visibility.PUBLIC,
                        Visibility.UNLISTED,
                    ],
                }
            )
        )

    char_ok = Q(character__isnull=True) | character_ok("character")
    post_ok = Q(post__isnull=True) | Q(post__deleted_at__isnull=True)
    share_ok = Q(share__isnull=True) | (
        Q(share__unpublished_at__isnull=True) & character_ok("share__character")
    )
    return char_ok & post_ok & share_ok


def _notifications_shown(user_id: int) -> QuerySet[Notification]:
    """The notifications ``user_id`` is shown: the one rule of the list and of
    the unread badge (a badge counting rows the list hides said "4" over "No
    notifications yet"). Visible targets (``_notification_visible_q``), and no
    actor a block stands between, either way. The blocks are two ``NOT
    EXISTS`` on ``block_unique`` and the ``blocked`` index, in the same
    statement: the badge stays one query."""
    return (
        Notification.objects.filter(recipient_id=user_id)
        .filter(_notification_visible_q(user_id))
        .exclude(
            Exists(
                Block.objects.filter(
                    blocker_id=user_id, blocked_id=OuterRef("actor_id")
                )
            )
        )
        .exclude(
            Exists(
                Block.objects.filter(
                    blocker_id=OuterRef("actor_id"), blocked_id=user_id
                )
            )
        )
    )


def notifications_page(
    *, user: User, cursor: str | None = None, size: int | None = None
) -> NotificationPage:
    size = _page_size(size)
    qs = _notifications_shown(user.pk)
    if cursor:
        when, pk = cursor_decode(cursor, "notif", when=True)
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
    # Two steps, as in ``feed_page``: lean id query, then the joined rows.
    ids = list(
        qs.order_by("-created_at", "-pk").values_list("pk", flat=True)[: size + 1]
    )
    # Only what a notification shows: titles and names for its link, the start
    # of a moment; not post bodies, comment texts, shared turns or definitions.
    by_id = (
        Notification.objects.select_related(
            "actor__profile", "character", "post", "moment", "comment", "share"
        )
        .only(
            "recipient_id",
            "kind",
            "actor_id",
            "character_id",
            "post_id",
            "comment_id",
            "moment_id",
            "share_id",
            "count",
            "created_at",
            "read_at",
            "actor__id",
            *_fields("actor__profile__", _PROFILE_FIELDS),
            *_fields("character__", ("id", "slug", "name")),
            *_fields("post__", ("id", "title")),
            *_fields("moment__", ("id", "body")),
            "comment__id",
            *_fields("share__", ("id", "title")),
        )
        .in_bulk(ids)
    )
    rows = [by_id[i] for i in ids if i in by_id]
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = cursor_encode("notif", rows[-1].created_at, rows[-1].pk)
    return NotificationPage(items=rows, next_cursor=next_cursor)


def unread_count(*, user: User | AnonymousUser) -> int:
    """The unread badge: unread notifications among those the list shows."""
    if not user.is_authenticated:
        return 0
    return unread_count_by_id(user_id=user.pk)


# The badge shows "99+" beyond 99: counting further is work nobody sees.
BADGE_MAX = 100


def unread_count_by_id(*, user_id: int, at_most: int | None = None) -> int:
    """``unread_count`` by id (the socket on every page a member opens, and
    the broadcasts after a write), counting no further than ``at_most``. One
    statement: the unread rows come from the partial index
    ``notif_unread_idx``, each joined by primary key to what it points at;
    ``at_most`` caps that work for someone with thousands unread."""
    qs = _notifications_shown(user_id).filter(read_at__isnull=True)
    return qs[:at_most].count() if at_most is not None else qs.count()


@dataclass(frozen=True)
class ProfileView:
    profile: Profile
    characters: list[Character]
    posts: list[Post]
    followers: int
    following: int
    total_chats: int
    viewer_follows: bool
    viewer_blocked: bool  # the viewer blocked this profile
    shares: list[SharedChat]


def profile_view(*, handle: str, viewer: User | AnonymousUser) -> ProfileView:
    """The public profile: listed characters only (so counts never include a
    private character), posts, follow counts. 404 when its owner blocked the
    viewer; a viewer who blocked its owner (and opens it to unblock) gets no
    shared chats or posts, which would be 404s for them: the shares by the
    share page's rule (``share_visible_to``), the posts by
    ``post_get_for_user``'s (no post of someone a block stands between).
    Characters stay: a blocker still reads the other's characters."""
    profile, viewer_blocked = _profile_and_block(handle=handle, user=viewer)
    sees_mature = viewer_sees_mature(viewer)
    chars = listed(viewer).filter(owner_id=profile.user_id)
    counts = chars.aggregate(total=Coalesce(Sum("chats_count"), 0))
    followers = Follow.objects.filter(followee_id=profile.user_id).count()
    following = Follow.objects.filter(follower_id=profile.user_id).count()
    viewer_follows = (
        viewer.is_authenticated
        and Follow.objects.filter(
            follower_id=viewer.pk, followee_id=profile.user_id
        ).exists()
    )
    return ProfileView(
        profile=profile,
        characters=list(chars.order_by("-trending_score", "-pk")[:24]),
        posts=[]
        if viewer_blocked
        else list(
            Post.objects.filter(author_id=profile.user_id, deleted_at__isnull=True)
            .select_related("board")
            .order_by("-created_at", "-pk")[:10]
        ),
        followers=followers,
        following=following,
        total_chats=int(counts["total"]),
        viewer_follows=viewer_follows,
        viewer_blocked=viewer_blocked,
        shares=[
            share
            for share in SharedChat.objects.filter(
                author_id=profile.user_id, unpublished_at__isnull=True
            )
            .filter(character_listed_q(viewer))
            .select_related("character")
            .order_by("-created_at", "-pk")[:10]
            if share_visible_to(
                share, viewer, sees_mature=sees_mature, author_blocked=viewer_blocked
            )
        ],
    )


def follow_suggestions(*, user: User | AnonymousUser, limit: int = 6) -> list[Profile]:
    """Creators with the most followers (and at least one listed character) that
    ``user`` does not follow yet: for empty feeds."""
    qs = Profile.objects.filter(user__is_active=True).filter(
        user_id__in=listed(user).values("owner_id")
    )
    if user.is_authenticated:
        qs = qs.exclude(user_id=user.pk).exclude(
            user_id__in=Follow.objects.filter(follower_id=user.pk).values("followee_id")
        )
        blocked = blocked_user_ids(user=user)
        if blocked:
            qs = qs.exclude(user_id__in=blocked)
    followers_sq = (
        Follow.objects.filter(followee_id=OuterRef("user_id"))
        .order_by()
        .values("followee_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        qs.annotate(n_followers=Coalesce(Subquery(followers_sq), 0)).order_by(
            "-n_followers", "handle"
        )[:limit]
    )


@dataclass(frozen=True)
class ShareView:
    share: SharedChat
    liked: bool
    is_author: bool


def share_get_for_user(*, share_id: int, user: User | AnonymousUser) -> ShareView:
    """A shared chat, if ``user`` may see it: published (the author also sees
    an unpublished one), its character visible to ``user``, no block between
    them. Otherwise 404."""
    qs = SharedChat.objects.select_related("character", "author__profile").filter(
        pk=share_id
    )
    if user.is_authenticated:
        qs = qs.annotate(
            liked=Exists(
                SharedChatLike.objects.filter(share_id=OuterRef("pk"), user_id=user.pk)
            )
        )
    share = qs.first()
    if share is None:
        raise Http404("No such shared chat.")
    is_author = user.is_authenticated and share.author_id == user.pk
    if not share_visible_to(
        share,
        user,
        sees_mature=viewer_sees_mature(user),
        author_blocked=share.author_id in blocked_user_ids(user=user),
    ):
        raise Http404("No such shared chat.")
    return ShareView(
        share=share, liked=bool(getattr(share, "liked", False)), is_author=is_author
    )
