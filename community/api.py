from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.models import Character
from characters.selectors import character_get_for_user
from community import selectors, services
from community.models import Comment, Post, Profile, SharedChat, User
from community.services import profile_ensure
from config.api_errors import (
    error_response,
    json_kind,
    not_an_object_message,
    validation_error_response,
)
from config.cursors import BadCursor
from config.params import BadParam, whole_number
from config.schema import error_response as error_schema


class ProfileSerializer(serializers.ModelSerializer[Profile]):
    class Meta:
        model = Profile
        fields = ["handle", "display_name", "bio", "avatar"]


class MeView(APIView):
    """The authenticated user's own profile."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProfileSerializer

    def get(self, request: Request) -> Response:
        profile = profile_ensure(user=request.user)  # type: ignore[arg-type]  # IsAuthenticated: a User
        return Response(ProfileSerializer(profile).data)


# --- Community API -------------------------------------------------------------
# Thin adapters: parse, look up what the user may see (selectors 404), call one
# service, answer with a small JSON shape. Lists are keyset-paginated with
# ``cursor`` / ``next_cursor`` and a constant number of queries.


# --- Schema --------------------------------------------------------------------
# These views build their small payloads by hand (docs/community.md); the
# serializers below only describe them in the OpenAPI schema, field for field
# (tests/test_api_schema.py checks real answers against the schema).

_Json = serializers.Serializer[dict[str, object]]


class AuthorSerializer(_Json):
    handle = serializers.CharField()
    display_name = serializers.CharField()


class CharacterBriefSerializer(_Json):
    slug = serializers.CharField()
    name = serializers.CharField()
    tagline = serializers.CharField()
    likes_count = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()


class PostSerializer(_Json):
    id = serializers.IntegerField()
    board = serializers.CharField(help_text="The board's slug.")
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown, as written.")
    body_html = serializers.CharField()
    author = AuthorSerializer()
    character = CharacterBriefSerializer(
        allow_null=True, help_text="The embedded character, when the viewer may see it."
    )
    share = serializers.IntegerField(
        allow_null=True,
        help_text="The embedded shared chat's id, when the viewer may open it.",
    )
    score = serializers.IntegerField()
    hot = serializers.FloatField()
    comments_count = serializers.IntegerField()
    voted = serializers.BooleanField(help_text="The viewer upvoted it.")
    created_at = serializers.DateTimeField()
    url = serializers.CharField()


class _CommentFieldsSerializer(_Json):
    id = serializers.IntegerField()
    deleted = serializers.BooleanField()
    author = AuthorSerializer(allow_null=True, help_text="None once deleted.")
    body = serializers.CharField()
    body_html = serializers.CharField()
    pinned = serializers.BooleanField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]  # the JSON key; shadows Field.parent only in this schema-only class
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class CommentReplySerializer(_CommentFieldsSerializer):
    replies = serializers.ListField(
        child=serializers.DictField(), help_text="Always empty: one level deep."
    )


class CommentSerializer(_CommentFieldsSerializer):
    replies = CommentReplySerializer(many=True)


class CommentPageSerializer(_Json):
    results = CommentSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class NewCommentSerializer(_Json):
    body = serializers.CharField(help_text="Markdown, up to 5,000 characters.")
    parent = serializers.IntegerField(  # type: ignore[assignment]  # the JSON key; shadows Field.parent only in this schema-only class
        required=False,
        allow_null=True,
        help_text="A top-level comment there, to reply to it.",
    )


class NewShareCommentSerializer(_Json):
    body = serializers.CharField(help_text="Markdown, up to 5,000 characters.")


class PostPageSerializer(_Json):
    results = PostSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class NewPostSerializer(_Json):
    title = serializers.CharField()
    body = serializers.CharField(required=False, allow_null=True)
    character = serializers.CharField(
        required=False, allow_null=True, help_text="A character's slug to embed."
    )
    share = serializers.IntegerField(
        required=False, allow_null=True, help_text="A shared chat's id to embed."
    )


class VoteSerializer(_Json):
    id = serializers.IntegerField()
    score = serializers.IntegerField()
    hot = serializers.FloatField()
    voted = serializers.BooleanField()


class BoardSerializer(_Json):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    staff_only_posts = serializers.BooleanField()


class BoardListSerializer(_Json):
    results = BoardSerializer(many=True)


class CharacterLikeSerializer(_Json):
    liked = serializers.BooleanField()
    likes_count = serializers.IntegerField()


class StarsSerializer(_Json):
    stars = serializers.IntegerField(min_value=1, max_value=5)


class RatingSerializer(_Json):
    stars = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()


class FollowingSerializer(_Json):
    following = serializers.BooleanField()


class BlockedSerializer(_Json):
    blocked = serializers.BooleanField()


class LikedSerializer(_Json):
    liked = serializers.BooleanField()


class FeedMomentSerializer(_Json):
    id = serializers.IntegerField()
    body_html = serializers.CharField()


class FeedShareSerializer(_Json):
    id = serializers.IntegerField()
    title = serializers.CharField()
    likes_count = serializers.IntegerField()
    url = serializers.CharField()


class FeedItemSerializer(_Json):
    kind = serializers.ChoiceField(choices=["character", "moment", "post", "share"])
    created_at = serializers.DateTimeField()
    actor = AuthorSerializer()
    character = CharacterBriefSerializer(allow_null=True)
    moment = FeedMomentSerializer(allow_null=True)
    post = PostSerializer(allow_null=True)
    share = FeedShareSerializer(allow_null=True)


class FeedPageSerializer(_Json):
    results = FeedItemSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class NotificationSerializer(_Json):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    actor = AuthorSerializer()
    count = serializers.IntegerField()
    character = serializers.CharField(allow_null=True, help_text="A slug.")
    post = serializers.IntegerField(allow_null=True)
    comment = serializers.IntegerField(allow_null=True)
    moment = serializers.IntegerField(allow_null=True)
    share = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


class NotificationPageSerializer(_Json):
    results = NotificationSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    unread = serializers.IntegerField()


class NotificationReadSerializer(_Json):
    id = serializers.IntegerField(required=False, allow_null=True)
    all = serializers.BooleanField(required=False, allow_null=True)


class UnreadSerializer(_Json):
    unread = serializers.IntegerField()


class ShareCharacterSerializer(_Json):
    slug = serializers.CharField()
    name = serializers.CharField()


class ShareSerializer(_Json):
    id = serializers.IntegerField()
    title = serializers.CharField()
    note = serializers.CharField()
    note_html = serializers.CharField()
    author = AuthorSerializer()
    character = ShareCharacterSerializer()
    from_seq = serializers.IntegerField()
    to_seq = serializers.IntegerField()
    hide_persona = serializers.BooleanField()
    turns = serializers.ListField(child=serializers.DictField())
    likes_count = serializers.IntegerField()
    comments_count = serializers.IntegerField()
    liked = serializers.BooleanField()
    published = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    url = serializers.CharField()


class NewShareSerializer(_Json):
    conversation = serializers.IntegerField()
    from_seq = serializers.IntegerField()
    to_seq = serializers.IntegerField()
    title = serializers.CharField()
    note = serializers.CharField(required=False, allow_null=True)
    hide_persona = serializers.BooleanField(required=False, allow_null=True)


class ShareContinueSerializer(_Json):
    id = serializers.IntegerField()
    conversation = serializers.IntegerField()
    character = serializers.CharField()
    title = serializers.CharField()
    messages = serializers.IntegerField()


_PAGE_PARAMS = [
    OpenApiParameter("cursor", str, description="The previous page's next_cursor."),
    OpenApiParameter("size", int, description="Page size, up to 50."),
]


class _CommunityView(APIView):
    pass


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


def _viewer(request: Request) -> User | AnonymousUser:
    user = request.user
    return user if isinstance(user, User) else AnonymousUser()


# Larger than any id a bigint column holds; PostgreSQL refuses bigger ones.
LARGEST_ID = 2**63 - 1


class _Body:
    """The request's JSON object, read field by field: each reader returns the
    field as the type it must have or raises a ValidationError naming the field
    ("“body” must be text, not an object."), which the API's exception handler
    answers as a 400 with that field. Nothing is coerced: a number is not text,
    "maybe" is not false. An absent field (or null, for the optional ones) is
    the default."""

    def __init__(self, request: Request) -> None:
        data = request.data
        if not isinstance(data, Mapping):
            raise DjangoValidationError(not_an_object_message(data))
        self._data: Mapping[str, object] = data

    @staticmethod
    def _wrong(name: str, must_be: str, value: object) -> DjangoValidationError:
        return DjangoValidationError(
            {name: f"“{name}” must be {must_be}, not {json_kind(value)}."}
        )

    def value(self, name: str) -> object:
        """Any JSON value (None when absent), for a service that checks it."""
        return self._data.get(name)

    def text(self, name: str) -> str:
        """Text the service requires: absent is "" (the service says it is
        empty), anything but a string — null too — is refused."""
        value = self._data.get(name, "")
        if not isinstance(value, str):
            raise self._wrong(name, "text", value)
        return value

    def optional_text(self, name: str) -> str:
        """Text that may be left out: absent or null is ""."""
        value = self._data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._wrong(name, "text", value)
        return value

    def optional_id(self, name: str, what: str) -> int | None:
        """A whole number (an id, a message number: ``what`` names it, "a
        comment id"), or None when absent or null. Only its type and that a
        bigint holds it are checked here; the lookup or the service says the
        rest (no such comment, a range that starts before 1)."""
        value = self._data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong(name, what, value)
        if not -LARGEST_ID <= value <= LARGEST_ID:
            raise DjangoValidationError(
                {name: f"“{name}” must be {what}; {value} is out of range."}
            )
        return value

    def id(self, name: str, what: str) -> int:
        """As ``optional_id``, but the field is required."""
        value = self.optional_id(name, what)
        if value is None:
            raise DjangoValidationError({name: f"“{name}” is required: {what}."})
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        """true or false; absent or null is ``default``."""
        value = self._data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self._wrong(name, "true or false", value)
        return value


def _size(request: Request) -> int | None:
    """``?size=``: absent is the default page size; the selectors cap it."""
    try:
        return whole_number(request.query_params, "size", None, low=1)
    except BadParam as exc:
        raise DjangoValidationError(str(exc)) from None


def _character(slug: str, request: Request) -> Character:
    # A block does not hide a character (its page and the characters API show
    # it): the services refuse what a block forbids, with a sentence.
    return character_get_for_user(slug=slug, user=_viewer(request))


def _author(user: User) -> dict[str, object]:
    return _author_profile(user.profile)


def _author_profile(profile: Profile) -> dict[str, object]:
    return {"handle": profile.handle, "display_name": profile.display_name}


def _character_brief(
    character: Character | None, visible: bool
) -> dict[str, object] | None:
    if character is None or not visible:
        return None
    return {
        "slug": character.slug,
        "name": character.name,
        "tagline": character.tagline,
        "likes_count": character.likes_count,
        "rating_average": character.rating_average,
        "rating_count": character.rating_count,
    }


def _post_json(
    post: Post,
    *,
    voted: bool,
    character_visible: bool,
    share_visible: bool,
    author: Profile,
) -> dict[str, object]:
    return {
        "id": post.pk,
        "board": post.board.slug,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "author": _author_profile(author),
        "character": _character_brief(post.character, character_visible),
        # The id only of a share the viewer may open (``share_visible_to``),
        # and not of an unpublished one, as the embed shows it.
        "share": (
            post.share_id
            if post.share is not None
            and share_visible
            and post.share.unpublished_at is None
            else None
        ),
        "score": post.score,
        "hot": post.hot,
        "comments_count": post.comments_count,
        "voted": voted,
        "created_at": post.created_at.isoformat(),
        "url": post.get_absolute_url(),
    }


def _comment_json(c: Comment) -> dict[str, object]:
    deleted = c.deleted_at is not None
    return {
        "id": c.pk,
        "deleted": deleted,
        "author": None if deleted else _author(c.author),
        "body": c.body,
        "body_html": c.body_html,
        "pinned": c.pinned,
        "parent": c.parent_id,
        "created_at": c.created_at.isoformat(),
        "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        "replies": [_comment_json(r) for r in getattr(c, "visible_replies", [])],
    }


class CharacterLikeView(_CommunityView):
    """Like (POST) or unlike (DELETE) a character."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={201: CharacterLikeSerializer, 200: CharacterLikeSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        try:
            created = services.character_like(user=_user(request), character=character)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        character.refresh_from_db(fields=["likes_count"])
        return Response(
            {"liked": True, "likes_count": character.likes_count},
            status=201 if created else 200,
        )

    @extend_schema(responses={200: CharacterLikeSerializer})
    def delete(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        services.character_unlike(user=_user(request), character=character)
        character.refresh_from_db(fields=["likes_count"])
        return Response({"liked": False, "likes_count": character.likes_count})


class CharacterRatingView(_CommunityView):
    """Rate a character: ``{"stars": 1..5}``; DELETE takes the rating back."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StarsSerializer, responses={200: RatingSerializer})
    def put(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        sent = _Body(request).value("stars")
        try:
            # The service says what stars must be, whatever was sent.
            stars = services.character_rate(
                user=_user(request), character=character, stars=sent
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        character.refresh_from_db(fields=["rating_sum", "rating_count"])
        return Response(
            {
                "stars": stars,
                "rating_average": character.rating_average,
                "rating_count": character.rating_count,
            }
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        services.character_unrate(user=_user(request), character=character)
        return Response(status=204)


class CharacterFollowView(_CommunityView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={201: FollowingSerializer, 200: FollowingSerializer}
    )
    def post(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        try:
            created = services.character_follow(
                user=_user(request), character=character
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response({"following": True}, status=201 if created else 200)

    @extend_schema(responses={200: FollowingSerializer})
    def delete(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        services.character_unfollow(user=_user(request), character=character)
        return Response({"following": False})


class UserFollowView(_CommunityView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={201: FollowingSerializer, 200: FollowingSerializer}
    )
    def post(self, request: Request, handle: str) -> Response:
        profile = selectors.profile_get_for_user(handle=handle, user=_user(request))
        try:
            created = services.user_follow(
                follower=_user(request), followee=profile.user
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response({"following": True}, status=201 if created else 200)

    @extend_schema(responses={200: FollowingSerializer})
    def delete(self, request: Request, handle: str) -> Response:
        profile = selectors.profile_get_for_user(handle=handle, user=_user(request))
        services.user_unfollow(follower=_user(request), followee=profile.user)
        return Response({"following": False})


class UserBlockView(_CommunityView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None, responses={201: BlockedSerializer, 200: BlockedSerializer}
    )
    def post(self, request: Request, handle: str) -> Response:
        profile = selectors.profile_get_for_user(handle=handle, user=_user(request))
        try:
            created = services.user_block(blocker=_user(request), blocked=profile.user)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response({"blocked": True}, status=201 if created else 200)

    @extend_schema(responses={200: BlockedSerializer})
    def delete(self, request: Request, handle: str) -> Response:
        profile = selectors.profile_get_for_user(handle=handle, user=_user(request))
        services.user_unblock(blocker=_user(request), blocked=profile.user)
        return Response({"blocked": False})


def _comments_response(
    request: Request,
    *,
    character: Character | None = None,
    post: Post | None = None,
    share: SharedChat | None = None,
) -> Response:
    """A page of comments on the one target given, which the caller checked
    the viewer may see (character, post and share comments alike)."""
    try:
        page = selectors.comments_page(
            user=_viewer(request),
            character=character,
            post=post,
            share=share,
            cursor=request.query_params.get("cursor") or None,
            size=_size(request),
        )
    except BadCursor as exc:
        return error_response(str(exc))
    return Response(
        {
            "results": [_comment_json(c) for c in page.items],
            "next_cursor": page.next_cursor,
        }
    )


class CharacterCommentsView(_CommunityView):
    """Comments on a character (GET, anyone who may see it) and a new comment or
    reply (POST ``{"body": ..., "parent": id?}``)."""

    @extend_schema(parameters=_PAGE_PARAMS, responses={200: CommentPageSerializer})
    def get(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        return _comments_response(request, character=character)

    @extend_schema(request=NewCommentSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, slug: str) -> Response:
        character = _character(slug, request)
        body = _Body(request)
        text = body.text("body")
        parent_id = body.optional_id("parent", "a comment id")
        parent = None
        if parent_id is not None:
            parent = selectors.comment_get(comment_id=parent_id)
            if parent.character_id != character.pk:
                message = "That comment is not on this character."
                return error_response(message, fields={"parent": [message]})
        try:
            comment = services.comment_create(
                author=_user(request), body=text, character=character, parent=parent
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response(_comment_json(comment), status=201)


class BoardListView(_CommunityView):
    @extend_schema(responses={200: BoardListSerializer})
    def get(self, request: Request) -> Response:
        return Response(
            {
                "results": [
                    {
                        "slug": b.slug,
                        "name": b.name,
                        "description": b.description,
                        "staff_only_posts": b.staff_only_posts,
                    }
                    for b in selectors.board_list()
                ]
            }
        )


class BoardPostsView(_CommunityView):
    """Posts of a board (``sort=hot|new|top``, ``t=day|week|all``) and a new post
    (``{"title", "body", "character": slug?}``)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("sort", str, enum=["hot", "new", "top"]),
            OpenApiParameter("t", str, enum=["day", "week", "all"]),
            *_PAGE_PARAMS,
        ],
        responses={200: PostPageSerializer},
    )
    def get(self, request: Request, slug: str) -> Response:
        board = selectors.board_get(slug=slug)
        try:
            page = selectors.board_posts_page(
                board=board,
                user=_viewer(request),
                sort=request.query_params.get("sort", "hot"),
                top_range=request.query_params.get("t", "week"),
                cursor=request.query_params.get("cursor") or None,
                size=_size(request),
            )
        except ValueError as exc:
            return error_response(str(exc))
        return Response(
            {
                "results": [
                    _post_json(
                        r.post,
                        voted=r.voted,
                        character_visible=r.character_visible,
                        share_visible=r.share_visible,
                        author=r.author,
                    )
                    for r in page.items
                ],
                "next_cursor": page.next_cursor,
            }
        )

    @extend_schema(request=NewPostSerializer, responses={201: PostSerializer})
    def post(self, request: Request, slug: str) -> Response:
        user = _user(request)
        board = selectors.board_get(slug=slug)
        body = _Body(request)
        title, text = body.text("title"), body.optional_text("body")
        character_slug = body.optional_text("character")
        share_id = body.optional_id("share", "a shared chat id")
        character = None
        if character_slug:
            try:
                character = character_get_for_user(slug=character_slug, user=user)
            except Http404:
                message = "No such character."
                return error_response(message, fields={"character": [message]})
        share = None
        if share_id is not None:
            try:
                share = selectors.share_get_for_user(share_id=share_id, user=user).share
            except Http404:
                message = "No such shared chat."
                return error_response(message, fields={"share": [message]})
        try:
            post = services.post_create(
                author=user,
                board=board,
                title=title,
                body=text,
                character=character,
                share=share,
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        row = selectors.post_get_for_user(post_id=post.pk, user=user)
        return Response(
            _post_json(
                row.post,
                voted=row.voted,
                character_visible=row.character_visible,
                share_visible=row.share_visible,
                author=row.author,
            ),
            status=201,
        )


class PostDetailView(_CommunityView):
    """A post, as the post page shows it: 404 when deleted or when a block
    stands between the viewer and its author."""

    @extend_schema(responses={200: PostSerializer})
    def get(self, request: Request, post_id: int) -> Response:
        row = selectors.post_get_for_user(post_id=post_id, user=_viewer(request))
        return Response(
            _post_json(
                row.post,
                voted=row.voted,
                character_visible=row.character_visible,
                share_visible=row.share_visible,
                author=row.author,
            )
        )


class PostCommentsView(_CommunityView):
    """Comments under a post (GET, anyone who may see the post, as on its page)
    and a new comment or reply (POST ``{"body": ..., "parent": id?}``)."""

    @extend_schema(parameters=_PAGE_PARAMS, responses={200: CommentPageSerializer})
    def get(self, request: Request, post_id: int) -> Response:
        row = selectors.post_get_for_user(post_id=post_id, user=_viewer(request))
        return _comments_response(request, post=row.post)

    @extend_schema(request=NewCommentSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, post_id: int) -> Response:
        user = _user(request)
        row = selectors.post_get_for_user(post_id=post_id, user=user)
        body = _Body(request)
        text = body.text("body")
        parent_id = body.optional_id("parent", "a comment id")
        parent = None
        if parent_id is not None:
            parent = selectors.comment_get(comment_id=parent_id)
            if parent.post_id != row.post.pk:
                message = "That comment is not under this post."
                return error_response(message, fields={"parent": [message]})
        try:
            comment = services.comment_create(
                author=user, body=text, post=row.post, parent=parent
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response(_comment_json(comment), status=201)


class PostVoteView(_CommunityView):
    """Upvote (POST) or take the vote back (DELETE)."""

    permission_classes = [IsAuthenticated]

    def _vote(self, request: Request, post_id: int, up: bool) -> Response:
        user = _user(request)
        row = selectors.post_get_for_user(post_id=post_id, user=user)
        try:
            post = services.post_vote(post=row.post, user=user, up=up)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response(
            {"id": post.pk, "score": post.score, "hot": post.hot, "voted": up}
        )

    @extend_schema(request=None, responses={200: VoteSerializer})
    def post(self, request: Request, post_id: int) -> Response:
        return self._vote(request, post_id, True)

    @extend_schema(responses={200: VoteSerializer})
    def delete(self, request: Request, post_id: int) -> Response:
        return self._vote(request, post_id, False)


class FeedView(_CommunityView):
    """``kind=home`` (needs a login), ``trending`` or ``new``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["home", "trending", "new"]),
            *_PAGE_PARAMS,
        ],
        # The home feed needs a login; the others do not.
        responses={200: FeedPageSerializer, 401: error_schema(401)},
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "home")
        viewer = _viewer(request)
        if kind == "home" and not viewer.is_authenticated:
            raise NotAuthenticated("The home feed needs a login.")
        try:
            page = selectors.feed_page(
                user=viewer,
                kind=kind,
                cursor=request.query_params.get("cursor") or None,
                size=_size(request),
            )
        except ValueError as exc:
            return error_response(str(exc))
        results = []
        for item in page.items:
            results.append(
                {
                    "kind": item.kind,
                    "created_at": item.created_at.isoformat(),
                    "actor": _author(item.actor),
                    "character": _character_brief(
                        item.character, item.character is not None
                    ),
                    "moment": (
                        {"id": item.moment.pk, "body_html": item.moment.body_html}
                        if item.moment is not None
                        else None
                    ),
                    "post": (
                        _post_json(
                            item.post,
                            voted=item.voted,
                            character_visible=item.character_visible,
                            share_visible=item.share_visible,
                            author=item.post.author.profile,
                        )
                        if item.post is not None
                        else None
                    ),
                    "share": (
                        {
                            "id": item.share.pk,
                            "title": item.share.title,
                            "likes_count": item.share.likes_count,
                            "url": item.share.get_absolute_url(),
                        }
                        if item.share is not None
                        else None
                    ),
                }
            )
        return Response({"results": results, "next_cursor": page.next_cursor})


class NotificationListView(_CommunityView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_PAGE_PARAMS, responses={200: NotificationPageSerializer})
    def get(self, request: Request) -> Response:
        user = _user(request)
        try:
            page = selectors.notifications_page(
                user=user,
                cursor=request.query_params.get("cursor") or None,
                size=_size(request),
            )
        except BadCursor as exc:
            return error_response(str(exc))
        return Response(
            {
                "results": [
                    {
                        "id": n.pk,
                        "kind": n.kind,
                        "actor": _author(n.actor),
                        "count": n.count,
                        "character": n.character.slug if n.character else None,
                        "post": n.post_id,
                        "comment": n.comment_id,
                        "moment": n.moment_id,
                        "share": n.share_id,
                        "created_at": n.created_at.isoformat(),
                        "read": n.read_at is not None,
                    }
                    for n in page.items
                ],
                "next_cursor": page.next_cursor,
                "unread": selectors.unread_count(user=user),
            }
        )


class NotificationReadView(_CommunityView):
    """Mark one (``{"id": n}``) or all (``{"all": true}``) notifications read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=NotificationReadSerializer, responses={200: UnreadSerializer}
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        body = _Body(request)
        mark_all = body.flag("all")
        notification_id = body.optional_id("id", "a notification id")
        if mark_all:
            services.notifications_mark_all_read(user=user)
        elif notification_id is not None:
            services.notification_mark_read(user=user, notification_id=notification_id)
        else:
            return error_response('Send {"id": <notification id>} or {"all": true}.')
        return Response({"unread": selectors.unread_count(user=user)})


def _share_json(share: SharedChat, *, liked: bool) -> dict[str, object]:
    return {
        "id": share.pk,
        "title": share.title,
        "note": share.note,
        "note_html": share.note_html,
        "author": _author(share.author),
        "character": {"slug": share.character.slug, "name": share.character.name},
        "from_seq": share.from_seq,
        "to_seq": share.to_seq,
        "hide_persona": share.hide_persona,
        "turns": share.turns,
        "likes_count": share.likes_count,
        "comments_count": share.comments_count,
        "liked": liked,
        "published": share.unpublished_at is None,
        "created_at": share.created_at.isoformat(),
        "url": share.get_absolute_url(),
    }


class ShareCreateView(_CommunityView):
    """Publish a range of your own conversation: ``{"conversation": id,
    "from_seq": n, "to_seq": m, "title": ..., "note": ..., "hide_persona": bool}``.
    Someone else's conversation is a 404; a bad range a 400; nothing is saved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=NewShareSerializer, responses={201: ShareSerializer})
    def post(self, request: Request) -> Response:
        from chat.selectors import conversation_get_for_user

        user = _user(request)
        body = _Body(request)
        conv_id = body.id("conversation", "a conversation id")
        title, note = body.text("title"), body.optional_text("note")
        from_seq = body.id("from_seq", "a message number")
        to_seq = body.id("to_seq", "a message number")
        hide_persona = body.flag("hide_persona")
        conversation = conversation_get_for_user(pk=conv_id, user=user)
        try:
            share = services.share_create(
                user=user,
                conversation=conversation,
                from_seq=from_seq,
                to_seq=to_seq,
                title=title,
                note=note,
                hide_persona=hide_persona,
            )
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        view = selectors.share_get_for_user(share_id=share.pk, user=user)
        return Response(_share_json(view.share, liked=view.liked), status=201)


class ShareDetailView(_CommunityView):
    """A shared chat (GET); the author unpublishes it (DELETE)."""

    @extend_schema(responses={200: ShareSerializer})
    def get(self, request: Request, share_id: int) -> Response:
        view = selectors.share_get_for_user(share_id=share_id, user=_viewer(request))
        return Response(_share_json(view.share, liked=view.liked))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, share_id: int) -> Response:
        user = _user(request)
        view = selectors.share_get_for_user(share_id=share_id, user=user)
        services.share_unpublish(share=view.share, user=user)
        return Response(status=204)


class ShareContinueView(_CommunityView):
    """ "Continue this story": a new private conversation of yours."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: ShareContinueSerializer})
    def post(self, request: Request, share_id: int) -> Response:
        user = _user(request)
        view = selectors.share_get_for_user(share_id=share_id, user=user)
        try:
            conversation = services.share_continue(share=view.share, user=user)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response(
            {
                "id": conversation.pk,
                "conversation": conversation.pk,
                "character": view.share.character.slug,
                "title": conversation.title,
                "messages": conversation.last_seq,
            },
            status=201,
        )


class ShareLikeView(_CommunityView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: LikedSerializer, 200: LikedSerializer})
    def post(self, request: Request, share_id: int) -> Response:
        user = _user(request)
        view = selectors.share_get_for_user(share_id=share_id, user=user)
        try:
            created = services.share_like(share=view.share, user=user)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response({"liked": True}, status=201 if created else 200)

    @extend_schema(responses={200: LikedSerializer})
    def delete(self, request: Request, share_id: int) -> Response:
        user = _user(request)
        view = selectors.share_get_for_user(share_id=share_id, user=user)
        services.share_unlike(share=view.share, user=user)
        return Response({"liked": False})


class ShareCommentsView(_CommunityView):
    @extend_schema(parameters=_PAGE_PARAMS, responses={200: CommentPageSerializer})
    def get(self, request: Request, share_id: int) -> Response:
        view = selectors.share_get_for_user(share_id=share_id, user=_viewer(request))
        return _comments_response(request, share=view.share)

    @extend_schema(
        request=NewShareCommentSerializer, responses={201: CommentSerializer}
    )
    def post(self, request: Request, share_id: int) -> Response:
        user = _user(request)
        view = selectors.share_get_for_user(share_id=share_id, user=user)
        text = _Body(request).text("body")
        try:
            comment = services.comment_create(author=user, body=text, share=view.share)
        except DjangoValidationError as exc:
            return validation_error_response(exc)
        return Response(_comment_json(comment), status=201)
