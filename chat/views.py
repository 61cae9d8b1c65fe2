"""Chat pages: the list, one conversation, starting a chat, personas (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from characters.selectors import character_get_for_user
from chat import selectors, services
from chat.forms import PersonaForm, RenameForm
from chat.llm import offline_engine_active
from community.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required ran first
        raise Http404
    return user


@login_required
def chat_list(request: HttpRequest) -> HttpResponse:
    conversations = selectors.conversation_list(user=_user(request))[:200]
    return render(
        request,
        "chat/list.html",
        {"conversations": conversations, "nav_active": "chats"},
    )


@login_required
def chat_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conversation = selectors.conversation_get_for_user(pk=pk, user=user)
    history = selectors.message_page(conversation=conversation, limit=100)
    rows = [(m, selectors.message_payload(conversation, m)) for m in history]
    return render(
        request,
        "chat/detail.html",
        {
            "conversation": conversation,
            "character": conversation.character,
            "rows": rows,
            # Older messages are paged in over HTTP ("Load older messages").
            "has_older": bool(history) and history[0].seq > 1,
            "personas": selectors.persona_list(user=user),
            "read_only": conversation.character.deleted_at is not None,
            "offline_engine": offline_engine_active(),
            "nav_active": "chats",
        },
    )


@login_required
@require_POST
def chat_start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    character = character_get_for_user(slug=slug, user=user)
    try:
        conversation = services.conversation_start(user=user, character=character)
    except services.ChatError as exc:
        messages.error(request, exc.message)
        return redirect(character.get_absolute_url())
    return redirect(conversation.get_absolute_url())


@login_required
@require_POST
def chat_rename(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_user(pk=pk, user=request.user)
    form = RenameForm(request.POST)
    if form.is_valid():
        services.conversation_rename(
            conversation=conversation, title=form.cleaned_data["title"]
        )
        messages.success(request, "Chat renamed.")
    else:
        messages.error(request, "A title is at most 120 characters.")
    return redirect(conversation.get_absolute_url())


@login_required
@require_POST
def chat_persona(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    conversation = selectors.conversation_get_for_user(pk=pk, user=user)
    raw = request.POST.get("persona", "")
    persona = None
    if raw:
        try:
            persona = selectors.persona_get_for_user(pk=int(raw), user=user)
        except (ValueError, Http404):
            messages.error(request, "No such persona.")
            return redirect(conversation.get_absolute_url())
    services.conversation_persona_set(conversation=conversation, persona=persona)
    messages.success(
        request, f"You are now {persona.name}." if persona else "Persona cleared."
    )
    return redirect(conversation.get_absolute_url())


@login_required
@require_POST
def chat_delete(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_user(pk=pk, user=request.user)
    services.conversation_delete(conversation=conversation)
    messages.success(request, "Chat deleted.")
    return redirect("chat:list")


@login_required
def persona_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PersonaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.persona_create(user=user, **form.cleaned_data)
        except services.ChatError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Persona added.")
            return redirect("chat:personas")
    personas = selectors.persona_list(user=user)
    return render(
        request,
        "chat/personas.html",
        {
            "form": form,
            "personas": personas,
            "edit_forms": [
                (
                    p,
                    PersonaForm(
                        initial={
                            "name": p.name,
                            "description": p.description,
                            "is_default": p.is_default,
                        },
                        prefix=f"p{p.pk}",
                    ),
                )
                for p in personas
            ],
            "nav_active": "chats",
        },
    )


@login_required
@require_POST
def persona_edit(request: HttpRequest, pk: int) -> HttpResponse:
    persona = selectors.persona_get_for_user(pk=pk, user=request.user)
    form = PersonaForm(request.POST, prefix=f"p{pk}")
    if form.is_valid():
        services.persona_update(persona=persona, **form.cleaned_data)
        messages.success(request, "Persona saved.")
    else:
        messages.error(
            request,
            "Not saved: a name is 1–60 characters and a description at most 2,000.",
        )
    return redirect("chat:personas")


@login_required
@require_POST
def persona_delete(request: HttpRequest, pk: int) -> HttpResponse:
    persona = selectors.persona_get_for_user(pk=pk, user=request.user)
    services.persona_delete(persona=persona)
    messages.success(request, "Persona deleted.")
    return redirect("chat:personas")
