"""Studio pages for Character Cards: the import page and the card downloads."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header

from characters.card_services import (
    card_request_too_large,
    character_export,
    character_import,
)
from characters.cards import MAX_CARD_UPLOAD
from characters.models import Character
from characters.selectors import character_get_for_user
from community.models import User


class CardImportForm(forms.Form):
    file = forms.FileField(
        label="Character card",
        error_messages={"required": "Choose a card file to import."},
        help_text=(
            "A PNG with the card inside, a V1/V2/V3 JSON file, or a CHARX archive "
            f"— up to {MAX_CARD_UPLOAD // 1_048_576}\u00a0MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.json,.charx,image/png,application/json"}
        ),
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish now",
        help_text="Otherwise it is saved as a draft you can review first.",
    )


def studio_url(character: Character) -> str:
    """Where to go after an import: the studio's edit page when it exists, else
    the character's page."""
    for name in ("characters:edit", "characters:detail"):
        try:
            return reverse(name, kwargs={"slug": character.slug})
        except NoReverseMatch:
            continue
    return f"/c/{character.slug}/"


@login_required
def card_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):  # login_required guarantees it
        raise PermissionDenied
    if request.method == "POST":
        too_large = card_request_too_large(request.META.get("CONTENT_LENGTH"))
        if too_large is not None:
            # Not bound: reading request.POST would parse the oversized body.
            return render(
                request,
                "characters/import.html",
                {
                    "form": CardImportForm(),
                    "errors": too_large.messages,
                    "nav_active": "create",
                },
                status=400,
            )
        form = CardImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                character = character_import(
                    owner=user,
                    upload=upload,
                    filename=upload.name or "",
                    publish=form.cleaned_data["publish"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                state = "published" if character.is_published else "saved as a draft"
                messages.success(request, f"Imported “{character.name}” and {state}.")
                return redirect(studio_url(character))
        status = 400
    else:
        form = CardImportForm()
        status = 200
    return render(
        request,
        "characters/import.html",
        {"form": form, "errors": form["file"].errors, "nav_active": "create"},
        status=status,
    )


def card_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Download a card (``/c/<slug>/card.png|v2|v3``): 404 for what the visitor may
    not see, 403 with an explanation when the definition is kept private."""
    character = character_get_for_user(slug=slug, user=request.user)
    try:
        content, filename, content_type = character_export(
            character=character, user=request.user, fmt=fmt
        )
    except PermissionDenied as exc:
        return render(
            request,
            "characters/card_export_denied.html",
            {"character": character, "reason": str(exc)},
            status=403,
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
