"""Community pages: the landing (boards + feeds), boards and posts, a character's
community page (likes, ratings, follows, comments, moments), notifications, the
creator dashboard, follow/block buttons. Thin: parse, call one service or
selector, render. Pages that list things render a partial for HTMX requests
(infinite scroll and "load more")."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from billing.entitlements import character_chat_allowed
from characters.selectors import (
    character_get_for_user,
    character_get_owned,
    viewer_sees_mature,
)
from community import selectors, services
from community.authentication import signed_in_user
from community.dashboard import dashboard_for
from community.models import Board, Comment, Post, User
from config.cursors import BadCursor

FEED_LABELS = {"home": "Following", "trending": "Trending", "new": "New"}


def _viewer(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    return user if isinstance(user, User) else AnonymousUser()


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(exc: ValidationError) -> dict[str, list[str]]:
    """A form's errors by field; errors of no field under "general"."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}


def _form_id(raw: str) -> int | None:
    """A form's id or number: ASCII digits a bigint holds ("²".isdigit() is
    true, and int() refuses it), or None."""
    return int(raw) if _ID.fullmatch(raw) else None


def _form_number(raw: str) -> int | str:
    """A form's number as an int, or the text as sent for the service to
    refuse with its own sentence."""
    number = _form_id(raw)
    return raw if number is None else number


_ID = re.compile(r"[0-9]{1,18}")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect(fallback)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def community_home(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    default = "home" if viewer.is_authenticated else "trending"
    kind = request.GET.get("feed", default)
    if kind not in FEED_LABELS:
        kind = default
    try:
        page = selectors.feed_page(
            user=viewer, kind=kind, cursor=request.GET.get("cursor") or None
        )
    except BadCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "nav_active": "community",
        "feed": kind,
        "feeds": FEED_LABELS,
        "page": page,
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "community/home.html#feed_items", context)
    context["boards"] = selectors.board_list()
    if not page.items and not request.GET.get("cursor"):
        context["suggestions"] = selectors.follow_suggestions(user=viewer)
    return render(request, "community/home.html", context)


def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _viewer(request)
    board, boards = selectors.board_get_with_list(slug=slug)
    sort = request.GET.get("sort", "hot")
    top_range = request.GET.get("t", "week")
    try:
        page = selectors.board_posts_page(
            board=board,
            user=viewer,
            sort=sort,
            top_range=top_range,
            cursor=request.GET.get("cursor") or None,
        )
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "nav_active": "community",
        "board": board,
        "sort": sort,
        "top_range": top_range,
        "page": page,
        "can_post": viewer.is_authenticated
        and (not board.staff_only_posts or viewer.is_staff),
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "community/board_detail.html#post_items", context)
    context["boards"] = boards
    return render(request, "community/board_detail.html", context)


def _last_path_part(text: str) -> str:
    """ "https://…/c/aria-moon-1a2b3c/" → "aria-moon-1a2b3c"; a bare value as is."""
    return text.strip().split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1]


@login_required
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    board = selectors.board_get(slug=slug)
    errors: dict[str, list[str]] = {}
    values = {
        "title": "",
        "body": "",
        "character": request.GET.get("character", ""),
        "share": request.GET.get("share", ""),
    }
    character = None
    share = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        # A link to the character or the shared chat, or its slug / number.
        raw_character = _last_path_part(values["character"])
        if raw_character:
            try:
                character = character_get_for_user(slug=raw_character, user=user)
            except Http404:
                errors["character"] = ["No such character: paste its link or slug."]
        raw_share = _last_path_part(values["share"])
        if raw_share:
            try:
                share = selectors.share_get_for_user(
                    share_id=_form_id(raw_share) or 0,
                    user=user,
                ).share
            except Http404:
                errors["share"] = ["No such shared chat: paste its link or number."]
        title, body = values["title"], values["body"]
        try:
            if errors:  # a link was wrong: say what else is, save nothing
                services.post_check(
                    author=user, board=board, title=title, body=body,
                    character=character, share=share,
                )  # fmt: skip
            else:
                post = services.post_create(
                    author=user, board=board, title=title, body=body,
                    character=character, share=share,
                )  # fmt: skip
                return redirect(post)
        except ValidationError as exc:
            found = _form_errors(exc)
            errors = {**found, **errors}  # the link errors say more
    return _post_form(request, board=board, values=values, errors=errors)


def _post_form(
    request: HttpRequest,
    *,
    board: Board,
    values: dict[str, str],
    errors: dict[str, list[str]],
    post: Post | None = None,
) -> HttpResponse:
    """The post form, new (``post`` None) or editing ``post``; 400 with errors."""
    return render(
        request,
        "community/post_form.html",
        {
            "nav_active": "community",
            "board": board,
            "post": post,
            "values": values,
            "errors": errors,
            "limits": {"title": services.LIMIT_TITLE, "body": services.LIMIT_BODY},
        },
        status=400 if errors else 200,
    )


def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    viewer = _viewer(request)
    row = selectors.post_get_for_user(post_id=post_id, user=viewer)
    try:
        comments = selectors.comments_page(
            user=viewer, post=row.post, cursor=request.GET.get("cursor") or None
        )
    except BadCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "nav_active": "community",
        "row": row,
        "post": row.post,
        "comments": comments,
        "comment_action": reverse(
            "community:post_comment", kwargs={"post_id": row.post.pk}
        ),
        "pin_owner_id": row.post.author_id,
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "community/_comments.html#comment_items", context)
    return render(request, "community/post_detail.html", context)


@login_required
@require_POST
def post_vote(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    row = selectors.post_get_for_user(post_id=post_id, user=user)
    try:
        post = services.post_vote(
            post=row.post, user=user, up=request.POST.get("up", "1") == "1"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back(request, row.post.get_absolute_url())
    if _is_htmx(request):
        row = selectors.post_get_for_user(post_id=post.pk, user=user)
        return render(request, "community/_post_card.html#vote", {"row": row})
    return _back(request, post.get_absolute_url())


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    post = selectors.post_get_for_user(post_id=post_id, user=user).post
    if post.author_id != user.pk:
        raise PermissionDenied("You can only edit your own posts.")
    values = {"title": post.title, "body": post.body}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            services.post_edit(
                post=post, user=user, title=values["title"], body=values["body"]
            )
        except ValidationError as exc:
            errors = _form_errors(exc)
        else:
            messages.success(request, "Post updated.")
            return redirect(post)
    return _post_form(
        request, board=post.board, values=values, errors=errors, post=post
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    row = selectors.post_get_for_user(post_id=post_id, user=user)
    services.post_delete(post=row.post, user=user)
    messages.success(request, "Post deleted.")
    return redirect(row.post.board)


@login_required
@require_POST
def post_comment(request: HttpRequest, post_id: int) -> HttpResponse:
    user = signed_in_user(request)
    row = selectors.post_get_for_user(post_id=post_id, user=user)
    return _comment_create(
        request, user, post=row.post, url=row.post.get_absolute_url()
    )


def _comment_create(
    request: HttpRequest,
    user: User,
    *,
    url: str,
    post: object = None,
    character: object = None,
    share: object = None,
) -> HttpResponse:
    from characters.models import Character
    from community.models import SharedChat

    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        # A reply form sends a comment's id: anything else must not become a
        # top-level comment its writer did not mean to post.
        number = _form_id(parent_id)
        if number is None:
            messages.error(
                request, "Your reply was not posted: “parent” must be a comment id."
            )
            return redirect(f"{url}#comments")
        parent = selectors.comment_get(comment_id=number)
    try:
        services.comment_create(
            author=user,
            body=request.POST.get("body", ""),
            post=post if isinstance(post, Post) else None,
            character=character if isinstance(character, Character) else None,
            share=share if isinstance(share, SharedChat) else None,
            parent=parent,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Comment posted.")
    return redirect(f"{url}#comments")


def _comment_url(comment: Comment) -> str:
    if comment.share_id is not None:
        return reverse("community:share", kwargs={"share_id": comment.share_id})
    if comment.post_id is not None:
        return reverse("community:post", kwargs={"post_id": comment.post_id})
    from characters.models import Character

    slug = Character.objects.values_list("slug", flat=True).get(
        pk=comment.character_id or 0
    )
    return reverse("community:character", kwargs={"slug": slug})


@login_required
@require_POST
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    comment = selectors.comment_get(comment_id=comment_id)
    try:
        services.comment_edit(
            comment=comment, user=user, body=request.POST.get("body", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(f"{_comment_url(comment)}#comment-{comment.pk}")


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    comment = selectors.comment_get(comment_id=comment_id)
    url = _comment_url(comment)
    services.comment_delete(comment=comment, user=user)
    messages.success(request, "Comment deleted.")
    return redirect(f"{url}#comments")


@login_required
@require_POST
def comment_pin(request: HttpRequest, comment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    comment = selectors.comment_get(comment_id=comment_id)
    try:
        services.comment_pin(
            comment=comment, user=user, pinned=request.POST.get("pinned", "1") == "1"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(f"{_comment_url(comment)}#comments")


def character_community(request: HttpRequest, slug: str) -> HttpResponse:
    """A character's community page: like, rate, follow, moments, comments."""
    viewer = _viewer(request)
    # Shown despite a block, as the character's page is: the buttons refuse
    # what a block forbids, and the comments leave out the blocked authors.
    character = character_get_for_user(slug=slug, user=viewer)
    try:
        comments = selectors.comments_page(
            user=viewer, character=character, cursor=request.GET.get("cursor") or None
        )
    except BadCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "nav_active": "community",
        "character": character,
        "comments": comments,
        "comment_action": reverse("community:character_comment", kwargs={"slug": slug}),
        "pin_owner_id": character.owner_id,
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "community/_comments.html#comment_items", context)
    context["state"] = selectors.character_social_state(
        character=character, user=viewer
    )
    context["moments"] = selectors.moments_for_character(character=character)
    context["is_owner"] = viewer.is_authenticated and viewer.pk == character.owner_id
    context["chat_allowed"] = character_chat_allowed(viewer, character)
    context["stars_range"] = range(1, 6)
    return render(request, "community/character_community.html", context)


@login_required
@require_POST
def character_like_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    character = character_get_for_user(slug=slug, user=user)
    try:
        if request.POST.get("on", "1") == "1":
            services.character_like(user=user, character=character)
        else:
            services.character_unlike(user=user, character=character)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return _back(request, reverse("community:character", kwargs={"slug": slug}))


@login_required
@require_POST
def character_follow_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    character = character_get_for_user(slug=slug, user=user)
    try:
        if request.POST.get("on", "1") == "1":
            services.character_follow(user=user, character=character)
        else:
            services.character_unfollow(user=user, character=character)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return _back(request, reverse("community:character", kwargs={"slug": slug}))


@login_required
@require_POST
def character_rate(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    character = character_get_for_user(slug=slug, user=user)
    raw = request.POST.get("stars", "")
    try:
        services.character_rate(user=user, character=character, stars=_form_number(raw))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Thanks for rating.")
    return _back(request, reverse("community:character", kwargs={"slug": slug}))


@login_required
@require_POST
def character_unrate(request: HttpRequest, slug: str) -> HttpResponse:
    """Take one's rating back ("Remove my rating" under the stars)."""
    user = signed_in_user(request)
    character = character_get_for_user(slug=slug, user=user)
    if services.character_unrate(user=user, character=character):
        messages.success(request, "Your rating was removed.")
    return _back(request, reverse("community:character", kwargs={"slug": slug}))


@login_required
@require_POST
def character_comment(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    character = character_get_for_user(slug=slug, user=user)
    return _comment_create(
        request,
        user,
        character=character,
        url=reverse("community:character", kwargs={"slug": slug}),
    )


@login_required
@require_POST
def moment_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    character = character_get_owned(slug=slug, user=user)
    image = request.FILES.get("image")
    try:
        services.moment_create(
            author=user,
            character=character,
            body=request.POST.get("body", ""),
            image=image,
            image_name=image.name if image is not None and image.name else "",
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Moment posted. Followers of this character see it.")
    return redirect(reverse("community:character", kwargs={"slug": slug}))


@login_required
def character_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    character = character_get_owned(slug=slug, user=signed_in_user(request))
    return render(
        request,
        "community/dashboard.html",
        {"nav_active": "community", "dash": dashboard_for(character=character)},
    )


@login_required
@require_POST
def user_follow_toggle(request: HttpRequest, handle: str) -> HttpResponse:
    user = signed_in_user(request)
    profile = selectors.profile_get_for_user(handle=handle, user=user)
    try:
        if request.POST.get("on", "1") == "1":
            services.user_follow(follower=user, followee=profile.user)
        else:
            services.user_unfollow(follower=user, followee=profile.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return _back(request, profile.get_absolute_url())


@login_required
@require_POST
def user_block_toggle(request: HttpRequest, handle: str) -> HttpResponse:
    user = signed_in_user(request)
    profile = selectors.profile_get_for_user(handle=handle, user=user)
    try:
        if request.POST.get("on", "1") == "1":
            services.user_block(blocker=user, blocked=profile.user)
            messages.success(
                request,
                f"You blocked @{profile.handle}. Neither of you sees the other in feeds.",
            )
        else:
            services.user_unblock(blocker=user, blocked=profile.user)
            messages.success(request, f"You unblocked @{profile.handle}.")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(profile)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        page = selectors.notifications_page(
            user=user, cursor=request.GET.get("cursor") or None
        )
    except BadCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {"nav_active": "community", "page": page}
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(
            request, "community/notifications.html#notification_items", context
        )
    return render(request, "community/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.notification_mark_read(
        user=signed_in_user(request), notification_id=notification_id
    )
    return _back(request, reverse("community:notifications"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_all_read(user=signed_in_user(request))
    messages.success(
        request, f"Marked {n} notification{'s' if n != 1 else ''} as read."
    )
    return redirect("community:notifications")


def profile_page(request: HttpRequest, handle: str) -> HttpResponse:
    viewer = _viewer(request)
    view = selectors.profile_view(handle=handle, viewer=viewer)
    return render(
        request,
        "community/profile_detail.html",
        {
            "profile": view.profile,
            "view": view,
            "sees_mature": viewer_sees_mature(viewer),
        },
    )


# --- Shared chat logs -----------------------------------------------------------


def _conversation_url(conversation: object) -> str | None:
    """The chat page of a conversation, once the chat pages exist."""
    from django.urls import NoReverseMatch

    get_url = getattr(conversation, "get_absolute_url", None)
    if get_url is None:
        return None
    try:
        url = get_url()
    except NoReverseMatch:
        return None
    return url if isinstance(url, str) else None


@login_required
def share_create(request: HttpRequest) -> HttpResponse:
    """Publish a range of one of your conversations (from the chat page:
    ``/community/s/new/?conversation=<id>``)."""
    from chat.selectors import conversation_get_for_user, message_outline

    user = signed_in_user(request)
    source = request.POST if request.method == "POST" else request.GET
    raw_conv = source.get("conversation", "")
    conv_id = _form_id(raw_conv)
    if conv_id is None:
        raise Http404("No such conversation.")
    conversation = conversation_get_for_user(pk=conv_id, user=user)
    errors: dict[str, list[str]] = {}
    values = {
        "title": source.get("title", ""),
        "note": source.get("note", ""),
        "from_seq": source.get("from_seq", "1"),
        "to_seq": source.get("to_seq", str(conversation.last_seq)),
        "hide_persona": source.get("hide_persona", "") == "on",
    }
    if request.method == "POST":
        raw_from, raw_to = str(values["from_seq"]), str(values["to_seq"])
        try:
            share = services.share_create(
                user=user,
                conversation=conversation,
                from_seq=_form_number(raw_from),
                to_seq=_form_number(raw_to),
                title=str(values["title"]),
                note=str(values["note"]),
                hide_persona=bool(values["hide_persona"]),
            )
        except ValidationError as exc:
            errors = _form_errors(exc)
        else:
            messages.success(request, "Shared! Anyone can read it now.")
            return redirect(share)
    return render(
        request,
        "community/share_form.html",
        {
            "nav_active": "community",
            "conversation": conversation,
            "outline": message_outline(conversation),
            "values": values,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def share_detail(request: HttpRequest, share_id: int) -> HttpResponse:
    viewer = _viewer(request)
    view = selectors.share_get_for_user(share_id=share_id, user=viewer)
    try:
        comments = selectors.comments_page(
            user=viewer, share=view.share, cursor=request.GET.get("cursor") or None
        )
    except BadCursor as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "nav_active": "community",
        "view": view,
        "share": view.share,
        "comments": comments,
        "comment_action": reverse(
            "community:share_comment", kwargs={"share_id": share_id}
        ),
        "pin_owner_id": view.share.author_id,
    }
    if _is_htmx(request) and request.GET.get("cursor"):
        return render(request, "community/_comments.html#comment_items", context)
    return render(request, "community/share_detail.html", context)


@login_required
@require_POST
def share_like_toggle(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.share_get_for_user(share_id=share_id, user=user)
    try:
        if request.POST.get("on", "1") == "1":
            services.share_like(share=view.share, user=user)
        else:
            services.share_unlike(share=view.share, user=user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(view.share)


@login_required
@require_POST
def share_comment(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.share_get_for_user(share_id=share_id, user=user)
    return _comment_create(
        request, user, share=view.share, url=view.share.get_absolute_url()
    )


@login_required
@require_POST
def share_unpublish(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.share_get_for_user(share_id=share_id, user=user)
    services.share_unpublish(share=view.share, user=user)
    messages.success(request, "Unpublished. Only you can still open it.")
    return redirect(view.share)


@login_required
@require_POST
def share_continue(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    view = selectors.share_get_for_user(share_id=share_id, user=user)
    try:
        conversation = services.share_continue(share=view.share, user=user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(view.share)
    url = _conversation_url(conversation)
    if url is None:
        messages.success(
            request,
            f"The story continues in your new private chat #{conversation.pk}.",
        )
        return redirect(view.share)
    return redirect(url)
