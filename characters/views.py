"""Character pages: Discover, the character page, the creator studio."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from billing.entitlements import character_chat_allowed
from characters import selectors
from characters.definition import PROMPT_BUDGET, definition_empty, prompt_length
from characters.forms import CharacterForm, LorebookFormSet
from characters.models import Category, Character, Visibility
from characters.services import (
    META_DEFAULTS,
    Settings,
    character_create,
    character_definition,
    character_delete,
    character_draft_save,
    character_publish,
    character_remix,
    character_rollback,
)
from characters.version_diff import version_diff
from chat.selectors import user_name_in_new_chat
from community.authentication import signed_in_user
from config.cursors import BadCursor


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


SORT_LABELS = {
    "trending": "Trending",
    "popular": "Popular",
    "top": "Top rated",
    "new": "New",
}


def _rails_html(request: HttpRequest) -> SafeString:
    """The category rails, rendered: the same for a whole audience for up to
    RAILS_CACHE_SECONDS, so the forty cards are rendered once, not per visit."""
    key = selectors.rails_cache_key(request.user, "html")
    html = cache.get(key)
    if not isinstance(html, SafeString):  # a miss (rendered HTML is a SafeString)
        rails = selectors.category_rails(user=request.user)
        html = render_to_string("characters/discover.html#rails", {"rails": rails})
        cache.set(key, html, selectors.RAILS_CACHE_SECONDS)
    return html


def discover(request: HtmxHttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "trending")
    category = request.GET.get("category") or None
    tag = request.GET.get("tag") or None
    q = (request.GET.get("q") or "").strip()[:200]
    cursor = request.GET.get("cursor") or None
    error = None
    try:
        page = selectors.catalog_page(
            user=request.user, sort=sort, category=category, tag=tag, q=q, cursor=cursor
        )
    except (BadCursor, ValueError) as exc:
        error = str(exc)
        page = selectors.Page(items=[], next_cursor=None)
    filtered = bool(category or tag or q)
    context: dict[str, Any] = {
        "page": page,
        "sort": sort if sort in SORT_LABELS else "trending",
        "sort_labels": SORT_LABELS,
        "category": category,
        "category_label": Category(category).label
        if category in Category.values
        else None,
        "categories": Category.choices,
        "tag": tag,
        "q": q,
        "error": error,
        "nav_active": "discover",
        "filtered": filtered,
    }
    if request.htmx and cursor:
        return render(request, "characters/discover.html#results", context)
    if not filtered and not cursor:
        context["rails_html"] = _rails_html(request)
        from billing.selectors import promoted_characters

        context["promoted"] = promoted_characters(user=request.user)
    return render(request, "characters/discover.html", context)


def _viewer_name(request: HttpRequest) -> str | None:
    """What {{user}} reads as for this viewer outside a chat: the name a chat
    they start now would use; None for a visitor (the template says "you")."""
    if not request.user.is_authenticated:
        return None
    return user_name_in_new_chat(user=signed_in_user(request))


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    character = selectors.character_get_for_user(slug=slug, user=request.user)
    is_owner = request.user.is_authenticated and request.user.pk == character.owner_id
    chat_allowed = character_chat_allowed(request.user, character)
    hidden = selectors.definition_hidden_reason(
        character=character, user=request.user, chat_allowed=chat_allowed
    )
    context = {
        "character": character,
        "is_owner": is_owner,
        "definition_visible": hidden is None,
        "definition_hidden": hidden,
        "version": character.published_version,
        "similar": selectors.similar_characters(character=character, user=request.user),
        "tags": list(character.tags.all()),
        "share_url": request.build_absolute_uri(character.get_absolute_url()),
        "chat_allowed": chat_allowed,
        # {{user}} in the greeting: the name this viewer's chat would use.
        "viewer_name": _viewer_name(request),
        "can_remix": (
            hidden is None
            and character.remix_allowed
            and character.visibility == Visibility.PUBLIC
            and character.is_published
            and request.user.is_authenticated
        ),
    }
    return render(request, "characters/detail.html", context)


@login_required
def studio(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "characters/studio.html",
        {"characters": selectors.owned_characters(user=user), "nav_active": "create"},
    )


def _service_errors(
    form: CharacterForm, formset: Any, exc: ValidationError
) -> list[str]:
    """Put a service's field errors on the form; return the ones with no field."""
    general: list[str] = []
    pairs = (
        exc.error_dict.items() if hasattr(exc, "error_dict") else [("", exc.error_list)]
    )
    for field, errors in pairs:
        texts = [m for e in errors for m in e.messages]
        if field in form.fields and field not in ("avatar",):
            form.add_error(field, texts)
        elif field == "character_book":
            general.extend(
                f"Lorebook: {t}" if not t.startswith("Lorebook") else t for t in texts
            )
        elif field == "avatar":
            form.add_error("avatar", texts)
        else:
            general.extend(texts)
    return general


def _applied_phrase(character: Character, name: str) -> str:
    if name == "visibility":
        label = character.get_visibility_display()  # "Unlisted — anyone with the link"
        return f"visibility is {label[:1].lower()}{label[1:]}"
    if name == "definition_visible":
        shown = "visible to others" if character.definition_visible else "hidden"
        return f"the definition is {shown}"
    if name == "remix_allowed":
        return "remixing is " + ("allowed" if character.remix_allowed else "off")
    return "the new avatar shows"


def _saved_message(
    character: Character, applied: list[str], *, publish: bool, published: bool
) -> str:
    """What a save did. On a published character the settings and the avatar
    apply at once, while the definition waits for Publish (unless it is the
    same as the live version: then there is nothing to publish)."""
    live = character.published_version
    if live is None:
        return "Draft saved. Publish when you are ready for others to see it."
    now = "; ".join(_applied_phrase(character, name) for name in applied)
    now = f"Applied now: {now}. " if now else ""
    if published:
        return f"{now}{character.name} published as version {live.number}."
    if character.draft is not None:
        return (
            f"{now}Definition changes saved as a draft: publish when you are ready "
            "for others to see them."
        )
    same = f"the definition is the same as version {live.number}"
    if publish:
        return f"{now}Nothing new to publish: {same}."
    return f"{now}Nothing to publish: {same}." if now else f"No changes: {same}."


def _editor(request: HttpRequest, character: Character | None) -> HttpResponse:
    user = signed_in_user(request)
    if character is not None:
        base, meta = character_definition(character)
        switches = {
            "visibility": character.visibility,
            "definition_visible": character.definition_visible,
            "remix_allowed": character.remix_allowed,
        }
    else:
        base, meta = definition_empty(), dict(META_DEFAULTS)
        switches = {
            "visibility": Visibility.PUBLIC,
            "definition_visible": True,
            "remix_allowed": True,
        }
    originals: list[dict[str, Any]] = list(
        (base.get("character_book") or {}).get("entries", [])
    )
    general_errors: list[str] = []

    if request.method == "POST":
        form = CharacterForm(request.POST, request.FILES)
        formset = LorebookFormSet(request.POST, prefix="entry")
        if form.is_valid() and formset.is_valid():
            entries = [
                e for f in formset.forms if (e := f.to_entry(originals)) is not None
            ]
            data = form.to_definition(base, entries)
            publish = request.POST.get("action") == "publish"
            sw = Settings(
                visibility=form.cleaned_data["visibility"],
                definition_visible=form.cleaned_data["definition_visible"],
                remix_allowed=form.cleaned_data["remix_allowed"],
            )
            avatar = request.FILES.get("avatar")
            applied: list[str] = []
            published = publish
            try:
                if character is None:
                    character = character_create(
                        owner=user,
                        data=data,
                        meta=form.meta(),
                        switches=sw,
                        avatar=avatar,
                        publish=publish,
                        note=form.cleaned_data.get("publish_note", ""),
                    )
                else:
                    from django.db import transaction

                    with transaction.atomic():
                        applied = character_draft_save(
                            character=character,
                            data=data,
                            meta=form.meta(),
                            switches=sw,
                            avatar=avatar,
                        ).applied
                        published = publish and character.draft is not None
                        if published:
                            character_publish(
                                character=character,
                                by=user,
                                note=form.cleaned_data.get("publish_note", ""),
                            )
            except ValidationError as exc:
                general_errors = _service_errors(form, formset, exc)
                if character is not None and character.pk:
                    character.refresh_from_db()
            else:
                message = _saved_message(
                    character, applied, publish=publish, published=published
                )
                messages.success(request, message)
                return redirect("characters:edit", slug=character.slug)
    else:
        form = CharacterForm(initial=CharacterForm.initial_from(base, meta, switches))
        from characters.forms import LorebookEntryForm

        formset = LorebookFormSet(
            prefix="entry",
            initial=[
                LorebookEntryForm.initial_from(i, e) for i, e in enumerate(originals)
            ],
        )
    return render(
        request,
        "characters/edit.html",
        {
            "form": form,
            "formset": formset,
            "character": character,
            "general_errors": general_errors,
            "budget": PROMPT_BUDGET,
            "used": prompt_length(base),
            "nav_active": "create",
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _editor(request, selectors.character_get_owned(slug=slug, user=request.user))


@login_required
@require_POST
def greeting_preview(request: HttpRequest) -> HttpResponse:
    """The greeting rendered as the chat will show it (htmx)."""
    return render(
        request,
        "characters/_greeting_preview.html",
        {
            "greeting": request.POST.get("first_mes", "")[:PROMPT_BUDGET],
            "name": request.POST.get("name", "")[:100],
            "viewer_name": _viewer_name(request),
        },
    )


@login_required
def versions(request: HttpRequest, slug: str) -> HttpResponse:
    character = selectors.character_get_owned(slug=slug, user=request.user)
    items = list(selectors.version_list(character=character))
    diff = None
    a = request.GET.get("a")
    b = request.GET.get("b")
    left = right = None
    if a and b:
        by_number = {str(v.number): v for v in items}
        left, right = by_number.get(a), by_number.get(b)
        if left is None or right is None:
            raise Http404("No such version.")
        diff = version_diff(left.data, left.meta, right.data, right.meta)
    return render(
        request,
        "characters/versions.html",
        {
            "character": character,
            "versions": items,
            "diff": diff,
            "a": a,
            "b": b,
            "nav_active": "create",
        },
    )


@login_required
@require_POST
def rollback(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    character = selectors.character_get_owned(slug=slug, user=request.user)
    try:
        version = character_rollback(
            character=character, number=number, by=signed_in_user(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Rolled back: version {number} is live again as version {version.number}.",
        )
    return redirect("characters:versions", slug=character.slug)


@login_required
@require_POST
def remix(request: HttpRequest, slug: str) -> HttpResponse:
    character = selectors.character_get_for_user(slug=slug, user=request.user)
    try:
        copy_ = character_remix(character=character, user=signed_in_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(character)
    messages.success(
        request, "Remixed into your drafts. Make it your own, then publish."
    )
    return redirect("characters:edit", slug=copy_.slug)


@login_required
@require_POST
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    character = selectors.character_get_owned(slug=slug, user=request.user)
    character_delete(character=character)
    messages.success(
        request, f"{character.name} was deleted. Existing chats stay readable."
    )
    return redirect(reverse("characters:studio"))
