from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community.authentication import signed_in_user
from community.forms import ProfileForm, TokenForm, form_errors_from
from community.selectors import token_get_for_user, token_list_for_user
from community.services import (
    profile_ensure,
    profile_update,
    token_create,
    token_revoke,
)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_ensure(user=signed_in_user(request))
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            data = form.cleaned_data
            try:
                profile_update(
                    profile=profile,
                    display_name=data["display_name"],
                    handle=data["handle"],
                    bio=data.get("bio", ""),
                    birth_date=data.get("birth_date"),
                    avatar=request.FILES.get("avatar"),
                    avatar_clear=data.get("avatar_clear", False),
                    show_mature=data.get("show_mature", False),
                )
            except ValidationError as exc:
                profile.refresh_from_db()
                form_errors_from(form, exc)
            else:
                messages.success(request, "Profile saved.")
                return redirect(profile)
        else:
            profile.refresh_from_db()
    else:
        form = ProfileForm(instance=profile)
    return render(
        request, "community/profile_edit.html", {"form": form, "profile": profile}
    )


# The secret of a token just made, kept in the session for the one page that
# shows it (post/redirect/get: rendered in the POST's answer, a reload sent
# the form again and made another token).
SHOWN_ONCE_SESSION_KEY = "community.shown_once"


@never_cache  # the one page holding the secret stays out of every cache
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                new = token_create(user=user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                request.session[SHOWN_ONCE_SESSION_KEY] = new.secret
                return redirect("community:tokens")
        new_secret = None
    else:
        form = TokenForm()
        # Shown once: taken out of the session by the page that shows it.
        new_secret = request.session.pop(SHOWN_ONCE_SESSION_KEY, None)
    return render(
        request,
        "community/token_list.html",
        {
            "form": form,
            "tokens": token_list_for_user(user=user),
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_get_for_user(user=signed_in_user(request), token_id=token_id)
    token_revoke(token=token)
    messages.success(
        request, f"Token “{token.name}” revoked. Clients using it stop working now."
    )
    return redirect("community:tokens")
