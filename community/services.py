"""Writes for accounts: users, profiles and access tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from community.models import (
    AccessToken,
    Board,
    Comment,
    Moment,
    Post,
    Profile,
    SharedChat,
    User,
    handle_validator,
)
from config.images import image_clean
from config.text import looks_blank, text_problem

if TYPE_CHECKING:
    from django.db.models import Field

    from characters.models import Character, CharacterVersion
    from chat.models import Conversation

RESERVED_HANDLES = frozenset(
    {
        "admin", "api", "accounts", "static", "media", "settings", "healthz",
        "discover", "chats", "community", "create", "kindred", "staff", "support",
        "moderator", "moderation", "billing", "pricing", "ws", "me", "new", "edit",
    }
)  # fmt: skip

TOKEN_PREFIX = "kdr_"  # noqa: S105  (a public marker, not a secret)


def handle_normalize(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def handle_validate(handle: str, *, exclude_user: User | None = None) -> str:
    """Return the normalised handle or raise ``ValidationError`` saying why not."""
    handle = handle_normalize(handle)
    handle_validator(handle)
    if handle in RESERVED_HANDLES:
        raise ValidationError(f"The handle @{handle} is reserved.", code="reserved")
    taken = Profile.objects.filter(handle=handle)
    if exclude_user is not None:
        taken = taken.exclude(user=exclude_user)
    if taken.exists():
        raise ValidationError(f"The handle @{handle} is taken.", code="taken")
    return handle


def handle_suggest(seed: str) -> str:
    """A free handle derived from ``seed`` (an email's local part, a name)."""
    base = re.sub(r"[^a-z0-9_]", "", seed.lower().replace(".", "_").replace("-", "_"))
    base = (base or "user")[:24]
    if len(base) < 3:
        base = f"{base}___"[:3]
    candidate = base
    while (
        candidate in RESERVED_HANDLES
        or Profile.objects.filter(handle=candidate).exists()
    ):
        candidate = f"{base}_{secrets.randbelow(10_000):04d}"
    return candidate


def _profile_text(value: str, *, field: str, what: str) -> str:
    """A display name or bio as ``_text_optional`` cleans it (a name of only
    zero-width characters would render as a blank link), within its column."""
    column = cast("Field[str, str]", Profile._meta.get_field(field))
    limit = column.max_length or 0
    return _text_optional(value, field=field, limit=limit, what=what)


def profile_create(*, user: User, handle: str, display_name: str = "") -> Profile:
    handle = handle_validate(handle)
    name = _profile_text(display_name, field="display_name", what="The display name")
    return Profile.objects.create(user=user, handle=handle, display_name=name or handle)


def profile_ensure(*, user: User) -> Profile:
    """The user's profile, created on first need for accounts made outside sign-up
    (``createsuperuser``, the admin)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        seed = user.email.split("@")[0] if user.email else user.get_username()
        return profile_create(user=user, handle=handle_suggest(seed))


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    handle: str,
    display_name: str = "",
    email_verified: bool = True,
    is_staff: bool = False,
) -> User:
    """Create a user with a profile and an email address record, as sign-up does.

    Used by ``seed_demo``, operators' commands and tests.
    """
    handle = handle_validate(handle)
    user = User(username=handle, email=email.lower(), is_staff=is_staff)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=email_verified
    )
    profile_create(user=user, handle=handle, display_name=display_name)
    return user


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    display_name: str,
    handle: str,
    bio: str,
    birth_date: dt.date | None,
    avatar: UploadedFile[bytes] | None = None,
    avatar_clear: bool = False,
    show_mature: bool | None = None,
) -> Profile:
    """Save the profile form. ``show_mature`` (None: unchanged) turns on
    mature content, for an adult by ``birth_date`` only — the age
    ``Profile.sees_mature`` reads; otherwise a ValidationError naming the
    field and nothing is saved."""
    old_names = (profile.handle, profile.display_name)
    profile.handle = handle_validate(handle, exclude_user=profile.user)
    profile.display_name = (
        _profile_text(display_name, field="display_name", what="The display name")
        or profile.handle
    )
    profile.bio = _profile_text(bio, field="bio", what="The bio")
    if birth_date is not None and birth_date > timezone.localdate():
        raise ValidationError({"birth_date": "A birth date cannot be in the future."})
    profile.birth_date = birth_date
    if show_mature:
        age = profile.age
        if age is None:
            raise ValidationError(
                {
                    "show_mature": "Add your birth date to turn on mature content: "
                    "it is only for adults (18 or older)."
                }
            )
        if age < 18:
            raise ValidationError(
                {
                    "show_mature": "Mature content is only for adults: by your "
                    "birth date you are under 18."
                }
            )
    if show_mature is not None:
        profile.show_mature = show_mature
    if avatar is not None:
        cleaned = image_clean(avatar, max_side=1024)
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.avatar.save(cleaned.name or "avatar", cleaned, save=False)
    elif avatar_clear and profile.avatar:
        profile.avatar.delete(save=False)
    profile.full_clean()
    profile.save()
    if (profile.handle, profile.display_name) != old_names:
        # Search finds characters by their creator's handle and name.
        from characters.services import search_vector_refresh

        search_vector_refresh(
            character_ids=list(profile.user.characters.values_list("id", flat=True))
        )
    return profile


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once, never stored


def token_create(*, user: User, name: str) -> NewToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the app using it."})
    if len(name) > 60:
        raise ValidationError({"name": "A token name is at most 60 characters."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=token_digest(secret)
    )
    return NewToken(token=token, secret=secret)


def token_revoke(*, token: AccessToken) -> None:
    """Revoke a token: the API refuses it from now on, and the sockets opened
    with it (authenticated once, at their handshake) close with 4401 on commit."""
    from community.events import credential_sockets_close, token_group

    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    group = token_group(token.pk)
    transaction.on_commit(lambda: credential_sockets_close(group))


def token_touch(*, token: AccessToken) -> None:
    """Record use, at most once a minute per token (a write per request is waste)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- Community: follows, likes, ratings, blocks, comments, boards, moments ----
# Every write below is one transaction; notifications and the live unread badge
# go out on commit. Counters on Character change through
# ``characters.social_counters`` in the same transaction as the rows.

LIMIT_TITLE = 200
LIMIT_BODY = 20_000
LIMIT_COMMENT = 5_000
LIMIT_MOMENT = 2_000
HOT_GRAVITY = 1.5
HOT_REFRESH_DAYS = 8


def _blocked_between(a_id: int, b_id: int) -> bool:
    from community.models import Block

    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _publicly_visible(character: Character) -> bool:
    """Reachable by others: published, public or unlisted, not deleted."""
    from characters.models import Visibility

    return (
        character.deleted_at is None
        and character.published_version_id is not None
        and character.visibility in (Visibility.PUBLIC, Visibility.UNLISTED)
    )


def _unread_broadcast_on_commit(user_ids: set[int]) -> None:
    """On commit, tell each user's open tabs their unread count — the
    Notifications page's rule (``selectors.unread_count_by_id``), not every
    unread row. Also after writes that hide notifications (a block, a deleted
    post), so the badge never counts what the list no longer shows."""
    from community.events import user_unread_broadcast
    from community.selectors import BADGE_MAX, unread_count_by_id

    def send() -> None:
        for uid in user_ids:
            unread = unread_count_by_id(user_id=uid, at_most=BADGE_MAX)
            user_unread_broadcast(user_id=uid, unread=unread)

    if user_ids:
        transaction.on_commit(send)


def _notify(
    *,
    recipient_id: int,
    actor_id: int,
    kind: str,
    character_id: int | None = None,
    post_id: int | None = None,
    comment_id: int | None = None,
    moment_id: int | None = None,
    share_id: int | None = None,
) -> bool:
    """Create one notification unless it is the actor's own or a block stands
    between them. Returns whether one was made."""
    from community.models import Notification

    if recipient_id == actor_id or _blocked_between(recipient_id, actor_id):
        return False
    Notification.objects.create(
        recipient_id=recipient_id,
        actor_id=actor_id,
        kind=kind,
        character_id=character_id,
        post_id=post_id,
        comment_id=comment_id,
        moment_id=moment_id,
        share_id=share_id,
    )
    _unread_broadcast_on_commit({recipient_id})
    return True


def _notify_like_grouped(
    *,
    recipient_id: int,
    actor_id: int,
    character_id: int | None = None,
    post_id: int | None = None,
    share_id: int | None = None,
) -> None:
    """Likes are grouped per item per day: one row whose ``count`` grows."""
    from community.models import Notification, NotificationKind

    if recipient_id == actor_id or _blocked_between(recipient_id, actor_id):
        return
    day = timezone.now().date().isoformat()
    if character_id:
        key = f"like:c{character_id}:{day}"
    elif post_id:
        key = f"like:p{post_id}:{day}"
    else:
        key = f"like:s{share_id}:{day}"
    updated = Notification.objects.filter(
        recipient_id=recipient_id, group_key=key
    ).update(
        count=F("count") + 1, actor_id=actor_id, created_at=timezone.now(), read_at=None
    )
    if not updated:
        Notification.objects.create(
            recipient_id=recipient_id,
            actor_id=actor_id,
            kind=NotificationKind.LIKE,
            character_id=character_id,
            post_id=post_id,
            share_id=share_id,
            group_key=key,
        )
    _unread_broadcast_on_commit({recipient_id})


def _notify_mentions(
    *,
    text: str,
    actor: User,
    character_id: int | None = None,
    post_id: int | None = None,
    comment_id: int | None = None,
    share_id: int | None = None,
    skip: set[int] | None = None,
) -> None:
    from community.markdown import mentions_in
    from community.models import NotificationKind

    handles = mentions_in(text)
    if not handles:
        return
    for uid in Profile.objects.filter(handle__in=list(handles)[:20]).values_list(
        "user_id", flat=True
    ):
        if skip and uid in skip:
            continue
        _notify(
            recipient_id=uid,
            actor_id=actor.pk,
            kind=NotificationKind.MENTION,
            character_id=character_id,
            post_id=post_id,
            comment_id=comment_id,
            share_id=share_id,
        )


@transaction.atomic
def user_follow(*, follower: User, followee: User) -> bool:
    """Follow a creator. Returns False when already following."""
    from community.models import Follow, NotificationKind

    if follower.pk == followee.pk:
        raise ValidationError("You cannot follow yourself.", code="self")
    if _blocked_between(follower.pk, followee.pk):
        raise ValidationError("You cannot follow this user.", code="blocked")
    _, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    if created:
        _notify(
            recipient_id=followee.pk,
            actor_id=follower.pk,
            kind=NotificationKind.FOLLOW,
        )
    return created


@transaction.atomic
def user_unfollow(*, follower: User, followee: User) -> bool:
    from community.models import Follow

    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    return bool(deleted)


@transaction.atomic
def character_follow(*, user: User, character: Character) -> bool:
    from community.models import CharacterFollow

    if _blocked_between(user.pk, character.owner_id):
        raise ValidationError("You cannot follow this character.", code="blocked")
    _, created = CharacterFollow.objects.get_or_create(user=user, character=character)
    return created


@transaction.atomic
def character_unfollow(*, user: User, character: Character) -> bool:
    from community.models import CharacterFollow

    deleted, _ = CharacterFollow.objects.filter(user=user, character=character).delete()
    return bool(deleted)


@transaction.atomic
def character_like(*, user: User, character: Character) -> bool:
    """Like a character; the counter moves in the same transaction as the row."""
    from characters.social_counters import likes_add
    from community.models import CharacterLike

    if _blocked_between(user.pk, character.owner_id):
        raise ValidationError("You cannot like this character.", code="blocked")
    _, created = CharacterLike.objects.get_or_create(user=user, character=character)
    if created:
        likes_add(character_id=character.pk, delta=1)
        if _publicly_visible(character):
            _notify_like_grouped(
                recipient_id=character.owner_id,
                actor_id=user.pk,
                character_id=character.pk,
            )
    return created


@transaction.atomic
def character_unlike(*, user: User, character: Character) -> bool:
    from characters.social_counters import likes_add
    from community.models import CharacterLike

    deleted, _ = CharacterLike.objects.filter(user=user, character=character).delete()
    if deleted:
        likes_add(character_id=character.pk, delta=-1)
    return bool(deleted)


@transaction.atomic
def character_rate(*, user: User, character: Character, stars: object) -> int:
    """Rate 1–5 stars; one rating per user, changeable. Returns the stars."""
    from characters.social_counters import rating_add
    from community.models import CharacterRating

    if _blocked_between(user.pk, character.owner_id):
        raise ValidationError("You cannot rate this character.", code="blocked")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError(
            {"stars": "A rating is a whole number of stars from 1 to 5."},
            code="invalid",
        )
    existing = (
        CharacterRating.objects.select_for_update()
        .filter(user=user, character=character)
        .first()
    )
    if existing is None:
        CharacterRating.objects.create(user=user, character=character, stars=stars)
        rating_add(character_id=character.pk, sum_delta=stars, count_delta=1)
    elif existing.stars != stars:
        rating_add(
            character_id=character.pk, sum_delta=stars - existing.stars, count_delta=0
        )
        existing.stars = stars
        existing.updated_at = timezone.now()
        existing.save(update_fields=["stars", "updated_at"])
    return stars


@transaction.atomic
def character_unrate(*, user: User, character: Character) -> bool:
    from characters.social_counters import rating_add
    from community.models import CharacterRating

    existing = (
        CharacterRating.objects.select_for_update()
        .filter(user=user, character=character)
        .first()
    )
    if existing is None:
        return False
    rating_add(character_id=character.pk, sum_delta=-existing.stars, count_delta=-1)
    existing.delete()
    return True


@transaction.atomic
def user_block(*, blocker: User, blocked: User) -> bool:
    """Block a user: follows both ways end (creators and their characters)."""
    from community.models import Block, CharacterFollow, Follow

    if blocker.pk == blocked.pk:
        raise ValidationError("You cannot block yourself.", code="self")
    _, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    Follow.objects.filter(
        Q(follower=blocker, followee=blocked) | Q(follower=blocked, followee=blocker)
    ).delete()
    CharacterFollow.objects.filter(
        Q(user=blocked, character__owner=blocker)
        | Q(user=blocker, character__owner=blocked)
    ).delete()
    # Their notifications from each other leave the list: the badges follow.
    _unread_broadcast_on_commit({blocker.pk, blocked.pk})
    return created


@transaction.atomic
def user_unblock(*, blocker: User, blocked: User) -> bool:
    from community.models import Block

    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:  # their notifications from each other may show again
        _unread_broadcast_on_commit({blocker.pk, blocked.pk})
    return bool(deleted)


def _text_optional(value: str, *, field: str, limit: int, what: str) -> str:
    """Text a user may leave out, stripped: "" when it shows nothing (only
    spaces, zero-width or filler characters). Refused, naming ``field``, when
    PostgreSQL cannot store it (a NUL, a lone surrogate: a DataError, a 500)
    or it is longer than ``limit``."""
    value = value or ""
    problem = text_problem(value)
    if problem:
        raise ValidationError({field: f"{what} has {problem}."}, code="invalid")
    value = value.strip()
    if looks_blank(value):
        return ""
    if len(value) > limit:
        raise ValidationError(
            {field: f"{what} is {len(value):,} characters; the limit is {limit:,}."},
            code="max_length",
        )
    return value


def _text_clean(value: str, *, field: str, limit: int, what: str) -> str:
    """As ``_text_optional``, but text that shows nothing is refused."""
    value = _text_optional(value, field=field, limit=limit, what=what)
    if not value:
        raise ValidationError({field: f"{what} cannot be empty."}, code="required")
    return value


@transaction.atomic
def comment_create(
    *,
    author: User,
    body: str,
    character: Character | None = None,
    post: Post | None = None,
    share: SharedChat | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Comment on a character, a post or a shared chat, or reply to a top-level
    comment there (``parent``; its target is used).

    The caller has checked that ``author`` may see the target (selectors 404)."""
    from characters.models import Character as CharacterModel
    from community.markdown import markdown_render
    from community.models import Comment, NotificationKind, Post, SharedChat

    body = _text_clean(body, field="body", limit=LIMIT_COMMENT, what="A comment")
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Replies go one level deep: reply to the top comment."}
            )
        target = (parent.character_id, parent.post_id, parent.share_id)
    else:
        target = (
            character.pk if character is not None else None,
            post.pk if post is not None else None,
            share.pk if share is not None else None,
        )
    character_id, post_id, share_id = target
    if sum(x is not None for x in target) != 1:
        raise ValidationError("A comment needs one character, post or shared chat.")
    given = (character, post, share)
    for obj, tid in zip(given, target, strict=True):
        if obj is not None and obj.pk != tid:
            raise ValidationError({"parent": "That comment belongs elsewhere."})
    if character_id is not None:
        target_char = CharacterModel.objects.get(pk=character_id)
        owner_id = target_char.owner_id
        public = _publicly_visible(target_char)
    elif post_id is not None:
        target_post = Post.objects.get(pk=post_id)
        if target_post.deleted_at is not None:
            raise ValidationError("This post was deleted.")
        owner_id = target_post.author_id
        public = True
    else:
        target_share = SharedChat.objects.select_related("character").get(
            pk=share_id or 0
        )
        if target_share.unpublished_at is not None:
            raise ValidationError("This shared chat was unpublished.")
        owner_id = target_share.author_id
        public = _publicly_visible(target_share.character)
    if _blocked_between(author.pk, owner_id) or (
        parent is not None and _blocked_between(author.pk, parent.author_id)
    ):
        raise ValidationError("You cannot comment here.", code="blocked")
    comment = Comment.objects.create(
        author=author,
        character_id=character_id,
        post_id=post_id,
        share_id=share_id,
        parent=parent,
        body=body,
        body_html=markdown_render(body, author=author),
    )
    _count_comments(comment, 1)
    if public:
        where = {
            "character_id": character_id,
            "post_id": post_id,
            "share_id": share_id,
            "comment_id": comment.pk,
        }
        notified = {author.pk}
        if parent is not None and parent.author_id not in notified:
            _notify(
                recipient_id=parent.author_id,
                actor_id=author.pk,
                kind=NotificationKind.REPLY,
                **where,
            )
            notified.add(parent.author_id)
        if owner_id not in notified:
            _notify(
                recipient_id=owner_id,
                actor_id=author.pk,
                kind=NotificationKind.COMMENT,
                **where,
            )
            notified.add(owner_id)
        _notify_mentions(text=body, actor=author, skip=notified, **where)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user: User, body: str) -> Comment:
    from community.markdown import markdown_render

    if comment.author_id != user.pk:
        raise PermissionDenied("You can only edit your own comments.")
    if comment.deleted_at is not None:
        raise ValidationError({"body": ["This comment was deleted."]})
    body = _text_clean(body, field="body", limit=LIMIT_COMMENT, what="A comment")
    comment.body = body
    comment.body_html = markdown_render(body, author=user)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user: User) -> None:
    """Delete a comment. One that has replies keeps its place as "deleted"
    (text and author gone) so the other people's replies under it stay; a
    deleted comment goes for good once its last reply does."""
    from community.models import Comment as CommentModel

    if comment.author_id != user.pk and not user.is_staff:
        raise PermissionDenied("You can only delete your own comments.")
    if comment.deleted_at is not None:
        return
    if CommentModel.objects.filter(parent=comment).exists():
        comment.deleted_at = timezone.now()
        comment.body = comment.body_html = ""
        comment.pinned = False
        comment.save(update_fields=["deleted_at", "body", "body_html", "pinned"])
    else:
        comment.delete()
        parent = comment.parent
        if (
            parent is not None
            and parent.deleted_at is not None
            and not CommentModel.objects.filter(parent=parent).exists()
        ):
            parent.delete()
    _count_comments(comment, -1)


def _count_comments(comment: Comment, change: int) -> None:
    from community.models import Post

    if comment.post_id is not None:
        Post.objects.filter(pk=comment.post_id).update(
            comments_count=Greatest(F("comments_count") + change, 0)
        )
    if comment.share_id is not None:
        SharedChat.objects.filter(pk=comment.share_id).update(
            comments_count=Greatest(F("comments_count") + change, 0)
        )


def _comment_target_owner(comment: Comment) -> tuple[int, str]:
    """Who may pin under the comment's target, and what to call them."""
    from characters.models import Character as CharacterModel
    from community.models import Post

    if comment.character_id is not None:
        owner = CharacterModel.objects.values_list("owner_id", flat=True).get(
            pk=comment.character_id
        )
        return owner, "the character's creator"
    if comment.share_id is not None:
        owner = SharedChat.objects.values_list("author_id", flat=True).get(
            pk=comment.share_id
        )
        return owner, "the shared chat's author"
    owner = Post.objects.values_list("author_id", flat=True).get(
        pk=comment.post_id or 0
    )
    return owner, "the post's author"


@transaction.atomic
def comment_pin(*, comment: Comment, user: User, pinned: bool = True) -> Comment:
    """The creator (of the character, or the post's author) pins one top-level
    comment; pinning another unpins the previous one."""
    from community.models import Comment as CommentModel

    owner, who = _comment_target_owner(comment)
    if owner != user.pk:
        raise PermissionDenied(f"Only {who} can pin a comment here.")
    if comment.parent_id is not None:
        raise ValidationError("Only a top-level comment can be pinned.")
    if pinned:
        CommentModel.objects.filter(
            Q(character_id=comment.character_id)
            if comment.character_id is not None
            else Q(post_id=comment.post_id)
            if comment.post_id is not None
            else Q(share_id=comment.share_id),
            pinned=True,
        ).update(pinned=False)
    comment.pinned = pinned
    comment.save(update_fields=["pinned"])
    return comment


# ``selectors.board_list`` caches the boards (the same for everyone, read on
# every community page); creating one drops the cache.
BOARDS_CACHE_KEY = "community:boards"


# ``selectors.board_posts_page`` caches the rows of board pages under a
# generation: changing it makes every cached board page stale at once.
BOARD_ROWS_CACHE_PREFIX = "community:board-rows:"
BOARD_ROWS_GENERATION_KEY = "community:board-rows-generation"


def board_rows_generation_new() -> str:
    return secrets.token_hex(8)


def board_rows_changed() -> None:
    """A post was added or removed, or the hot scores were refreshed: cached
    board rows are stale. Now and after the commit (a page rendered in between
    may have cached the rows without the change)."""

    def bump() -> None:
        cache.set(BOARD_ROWS_GENERATION_KEY, board_rows_generation_new(), None)

    bump()
    transaction.on_commit(bump)


@transaction.atomic
def board_create(
    *,
    by: User,
    slug: str,
    name: str,
    description: str = "",
    position: int = 0,
    staff_only_posts: bool = False,
) -> Board:
    from community.models import Board

    if not by.is_staff:
        raise PermissionDenied("Only staff create boards.")
    board = Board(
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        position=position,
        staff_only_posts=staff_only_posts,
    )
    board.full_clean()
    board.save()
    # Now and after the commit: a page rendered in between may have cached the
    # list without the new board.
    cache.delete(BOARDS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(BOARDS_CACHE_KEY))
    return board


def hot_score(*, score: int, created_at: dt.datetime, now: dt.datetime) -> float:
    """Hacker News style: votes decay with age (hours + 2) ** 1.5. Stored on the
    post, recomputed on each vote and by the periodic refresh."""
    age_hours = max((now - created_at).total_seconds() / 3600, 0.0)
    return float(score + 1) / float((age_hours + 2) ** HOT_GRAVITY)


def _post_text(title: str, body: str) -> tuple[str, str, dict[str, list[str]]]:
    """A post's cleaned title and text, and what is wrong with them."""
    errors: dict[str, list[str]] = {}
    try:
        title = _text_clean(title, field="title", limit=LIMIT_TITLE, what="The title")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        body = _text_optional(body, field="body", limit=LIMIT_BODY, what="The text")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return title, body, errors


def post_check(
    *,
    author: User,
    board: Board,
    title: str,
    body: str = "",
    character: Character | None = None,
    share: SharedChat | None = None,
) -> tuple[str, str]:
    """The cleaned (title, body) of a new post, or a ValidationError naming
    every field that is wrong (not only the first), saving nothing."""
    if board.staff_only_posts and not author.is_staff:
        raise ValidationError(
            {"board": f"Only staff post in {board.name}."}, code="staff_only"
        )
    title, body, errors = _post_text(title, body)
    if character is not None and not (
        _publicly_visible(character) or character.owner_id == author.pk
    ):
        errors["character"] = ["No such character."]
    elif character is not None and character.visibility == "private":
        errors["character"] = ["A private character cannot be shared in a post."]
    if share is not None and (
        share.unpublished_at is not None
        or not _publicly_visible(share.character)
        or _blocked_between(author.pk, share.author_id)
    ):
        errors["share"] = ["No such shared chat."]
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def post_create(
    *,
    author: User,
    board: Board,
    title: str,
    body: str = "",
    character: Character | None = None,
    share: SharedChat | None = None,
) -> Post:
    """A board post; ``character`` is embedded (the caller checked it is visible
    to the author; a private one is refused here too)."""
    from community.markdown import markdown_render
    from community.models import FeedEvent, FeedKind, Post

    title, body = post_check(
        author=author, board=board, title=title, body=body, character=character,
        share=share,
    )  # fmt: skip
    # Board lists join the author's profile (``Post.author_profile``), so an
    # author made outside sign-up (``createsuperuser``) gets one now.
    profile_ensure(user=author)
    now = timezone.now()
    post = Post.objects.create(
        share=share,
        board=board,
        author=author,
        title=title,
        body=body,
        body_html=markdown_render(body, author=author) if body else "",
        character=character,
        created_at=now,
        hot=hot_score(score=0, created_at=now, now=now),
    )
    FeedEvent.objects.create(
        kind=FeedKind.POST,
        actor=author,
        character=character,
        post=post,
        created_at=now,
    )
    board_rows_changed()
    _notify_mentions(text=f"{title}\n{body}", actor=author, post_id=post.pk)
    return post


@transaction.atomic
def post_edit(*, post: Post, user: User, title: str, body: str) -> Post:
    """Change a post's title and text (its author only); every wrong field is
    named and nothing is saved."""
    from community.markdown import markdown_render

    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    if post.deleted_at is not None:
        raise ValidationError("This post was deleted.")
    title, body, errors = _post_text(title, body)
    if errors:
        raise ValidationError(errors)
    post.title = title
    post.body = body
    post.body_html = markdown_render(body, author=user) if body else ""
    post.edited_at = timezone.now()
    post.save(update_fields=["title", "body", "body_html", "edited_at"])
    board_rows_changed()
    return post


@transaction.atomic
def post_delete(*, post: Post, user: User) -> None:
    from community.models import FeedEvent, Notification

    if post.author_id != user.pk and not user.is_staff:
        raise PermissionDenied("You can only delete your own posts.")
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    FeedEvent.objects.filter(post=post).delete()
    board_rows_changed()
    # Notifications about it leave their lists: the badges follow.
    _unread_broadcast_on_commit(
        set(
            Notification.objects.filter(post=post, read_at__isnull=True).values_list(
                "recipient_id", flat=True
            )
        )
    )


@transaction.atomic
def post_vote(*, post: Post, user: User, up: bool = True) -> Post:
    """Upvote (or take the vote back); the hot score is recomputed at once."""
    from community.models import Post as PostModel
    from community.models import PostVote

    if post.deleted_at is not None:
        raise ValidationError("This post was deleted.")
    if up:
        if _blocked_between(user.pk, post.author_id):
            raise ValidationError("You cannot vote on this post.", code="blocked")
        _, changed = PostVote.objects.get_or_create(post=post, user=user)
        delta = 1 if changed else 0
    else:
        deleted, _ = PostVote.objects.filter(post=post, user=user).delete()
        delta = -1 if deleted else 0
    if delta:
        PostModel.objects.filter(pk=post.pk).update(score=F("score") + delta)
        post.refresh_from_db(fields=["score", "created_at"])
        post.hot = hot_score(
            score=post.score, created_at=post.created_at, now=timezone.now()
        )
        PostModel.objects.filter(pk=post.pk).update(hot=post.hot)
        if delta > 0:
            _notify_like_grouped(
                recipient_id=post.author_id, actor_id=user.pk, post_id=post.pk
            )
    return post


def posts_hot_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the hot score of recent posts (older ones have decayed to ~0 and
    are set once more when they cross the window). Returns how many changed."""
    from community.models import Post

    now = now or timezone.now()
    since = now - dt.timedelta(days=HOT_REFRESH_DAYS + 1)
    batch: list[Post] = []
    total = 0
    for post in (
        Post.objects.filter(created_at__gte=since)
        .only("id", "score", "created_at", "hot")
        .iterator(chunk_size=2000)
    ):
        post.hot = hot_score(score=post.score, created_at=post.created_at, now=now)
        batch.append(post)
        if len(batch) >= 2000:
            Post.objects.bulk_update(batch, ["hot"])
            total += len(batch)
            batch = []
    if batch:
        Post.objects.bulk_update(batch, ["hot"])
        total += len(batch)
    board_rows_changed()  # the hot order may have changed
    return total


def _moment_fanout(*, moment: Moment, character: Character) -> None:
    """Followers of a character hear about its moments — only while others may
    see the character (a private character's moments reach nobody)."""
    from community.models import Block, CharacterFollow, Notification, NotificationKind

    if not _publicly_visible(character):
        return
    blocked = set(
        Block.objects.filter(
            Q(blocker_id=moment.author_id) | Q(blocked_id=moment.author_id)
        ).values_list("blocker_id", "blocked_id")
    )
    excluded = {uid for pair in blocked for uid in pair} | {moment.author_id}
    recipients = [
        uid
        for uid in CharacterFollow.objects.filter(character=character).values_list(
            "user_id", flat=True
        )
        if uid not in excluded
    ]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=uid,
                actor_id=moment.author_id,
                kind=NotificationKind.MOMENT,
                character=character,
                moment=moment,
            )
            for uid in recipients
        ],
        batch_size=1000,
    )
    _unread_broadcast_on_commit(set(recipients))


@transaction.atomic
def moment_create(
    *,
    author: User,
    character: Character,
    body: str,
    image: IO[bytes] | None = None,
    image_name: str = "",
) -> Moment:
    """The creator posts a short update on their character."""
    from community.markdown import markdown_render
    from community.models import FeedEvent, FeedKind, Moment

    if character.owner_id != author.pk:
        raise PermissionDenied("Only the creator posts moments of a character.")
    body = _text_clean(body, field="body", limit=LIMIT_MOMENT, what="A moment")
    now = timezone.now()
    moment = Moment(
        character=character,
        author=author,
        body=body,
        body_html=markdown_render(body, author=author),
        created_at=now,
    )
    if image is not None:
        cleaned = image_clean(image, name=image_name or None, max_side=1600)
        moment.image.save(cleaned.name or "moment.png", cleaned, save=False)
    moment.save()
    FeedEvent.objects.create(
        kind=FeedKind.MOMENT,
        actor=author,
        character=character,
        moment=moment,
        created_at=now,
    )
    _moment_fanout(moment=moment, character=character)
    return moment


@transaction.atomic
def moment_post_for_version(*, version: CharacterVersion) -> Moment | None:
    """Post the automatic moment for a newly published version (idempotent: one
    per version). Version 1 announces a new character in the feeds instead.

    Call it from ``characters.services.character_publish`` after the version is
    created (inside its transaction)."""
    from characters.models import Character as CharacterModel
    from community.markdown import markdown_render
    from community.models import FeedEvent, FeedKind, Moment

    character = CharacterModel.objects.get(pk=version.character_id)
    if version.number == 1:
        # The first publish announces the character itself in the feeds.
        FeedEvent.objects.get_or_create(
            kind=FeedKind.CHARACTER,
            character=character,
            moment=None,
            post=None,
            defaults={
                "actor_id": character.owner_id,
                "created_at": version.created_at,
            },
        )
        return None
    if Moment.objects.filter(version=version).exists():
        return None
    note = f" — {version.note}" if version.note else ""
    body = f"Version {version.number} of {character.name} is out{note}."
    moment = Moment.objects.create(
        character=character,
        author_id=character.owner_id,
        body=body,
        body_html=markdown_render(body),
        version=version,
        created_at=version.created_at,
    )
    FeedEvent.objects.create(
        kind=FeedKind.MOMENT,
        actor_id=character.owner_id,
        character=character,
        moment=moment,
        created_at=version.created_at,
    )
    _moment_fanout(moment=moment, character=character)
    return moment


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> None:
    from community.models import Notification

    updated = Notification.objects.filter(
        recipient=user, pk=notification_id, read_at__isnull=True
    ).update(read_at=timezone.now())
    if (
        not updated
        and not Notification.objects.filter(recipient=user, pk=notification_id).exists()
    ):
        from django.http import Http404

        raise Http404("No such notification.")
    _unread_broadcast_on_commit({user.pk})


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    from community.models import Notification

    n = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _unread_broadcast_on_commit({user.pk})
    return n


# --- Shared chat logs ----------------------------------------------------------

LIMIT_NOTE = 2_000


def _chat_error(exc: Exception) -> ValidationError:
    message = getattr(exc, "message", str(exc))
    code = getattr(exc, "code", "invalid")
    return ValidationError(message, code=code)


@transaction.atomic
def share_create(
    *,
    user: User,
    conversation: Conversation,
    from_seq: object,
    to_seq: object,
    title: str,
    note: str = "",
    hide_persona: bool = False,
) -> SharedChat:
    """Publish a snapshot of messages ``from_seq``..``to_seq`` of ``user``'s own
    conversation (the caller fetched it with ``conversation_get_for_user``, so
    someone else's is already a 404). Nothing is saved on any error."""
    from characters.models import Character as CharacterModel
    from chat.services import ChatError
    from chat.sharing import conversation_snapshot
    from community.markdown import markdown_render
    from community.models import FeedEvent, FeedKind, SharedChat

    if conversation.owner_id != user.pk:
        from django.http import Http404

        raise Http404("No such conversation.")
    title = _text_clean(title, field="title", limit=LIMIT_TITLE, what="The title")
    note = _text_optional(note, field="note", limit=LIMIT_NOTE, what="The note")
    character = CharacterModel.objects.get(pk=conversation.character_id)
    if not _publicly_visible(character):
        raise ValidationError(
            {
                "conversation": "Chats with a private, unpublished or deleted "
                "character cannot be shared."
            },
            code="private",
        )
    if not isinstance(from_seq, int) or not isinstance(to_seq, int):
        raise ValidationError(
            {"range": "“from_seq” and “to_seq” must be message numbers."}
        )
    try:
        turns = conversation_snapshot(
            conversation=conversation,
            from_seq=from_seq,
            to_seq=to_seq,
            hide_persona=hide_persona,
        )
    except ChatError as exc:
        raise ValidationError({"range": exc.message}, code=exc.code) from None
    now = timezone.now()
    share = SharedChat.objects.create(
        author=user,
        character=character,
        conversation=conversation,
        title=title,
        note=note,
        note_html=markdown_render(note, author=user) if note else "",
        from_seq=from_seq,
        to_seq=to_seq,
        hide_persona=hide_persona,
        turns=[{"author": t.author, "name": t.name, "text": t.text} for t in turns],
        created_at=now,
    )
    FeedEvent.objects.create(
        kind=FeedKind.SHARE,
        actor=user,
        character=character,
        share=share,
        created_at=now,
    )
    return share


@transaction.atomic
def share_unpublish(*, share: SharedChat, user: User) -> None:
    from community.models import FeedEvent

    if share.author_id != user.pk and not user.is_staff:
        raise PermissionDenied("Only the author can unpublish a shared chat.")
    if share.unpublished_at is None:
        share.unpublished_at = timezone.now()
        share.save(update_fields=["unpublished_at"])
    FeedEvent.objects.filter(share=share).delete()


@transaction.atomic
def share_like(*, share: SharedChat, user: User) -> bool:
    from community.models import SharedChat as SharedChatModel
    from community.models import SharedChatLike

    if _blocked_between(user.pk, share.author_id):
        raise ValidationError("You cannot like this.", code="blocked")
    _, created = SharedChatLike.objects.get_or_create(share=share, user=user)
    if created:
        SharedChatModel.objects.filter(pk=share.pk).update(
            likes_count=F("likes_count") + 1
        )
        _notify_like_grouped(
            recipient_id=share.author_id, actor_id=user.pk, share_id=share.pk
        )
    return created


@transaction.atomic
def share_unlike(*, share: SharedChat, user: User) -> bool:
    from community.models import SharedChat as SharedChatModel
    from community.models import SharedChatLike

    deleted, _ = SharedChatLike.objects.filter(share=share, user=user).delete()
    if deleted:
        SharedChatModel.objects.filter(pk=share.pk).update(
            likes_count=Greatest(F("likes_count") - 1, 0)
        )
    return bool(deleted)


@transaction.atomic
def share_continue(*, share: SharedChat, user: User) -> Conversation:
    """ "Continue this story": a new private conversation of ``user`` with the
    share's character, starting from the shared messages. The caller fetched
    the share with ``share_get_for_user`` (so the character is visible)."""
    from django.http import Http404

    from characters.selectors import character_get_for_user
    from chat.services import ChatError
    from chat.sharing import SnapshotTurn, conversation_fork

    try:
        character = character_get_for_user(slug=share.character.slug, user=user)
    except Http404:
        raise ValidationError("This character is no longer available.") from None
    turns = [
        SnapshotTurn(author=t["author"], name=t["name"], text=t["text"])
        for t in share.turns
    ]
    try:
        return conversation_fork(
            user=user, character=character, turns=turns, title=share.title
        )
    except ChatError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
