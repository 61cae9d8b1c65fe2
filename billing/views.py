"""Billing pages: pricing, checkout and portal redirects, the Stripe webhook, the
creator program (onboarding, earnings) and premium/promotion settings."""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing import selectors, services
from billing.entitlements import character_chat_allowed, entitlements_for
from billing.models import PRO_KINDS, CreatorAccount, PlanKind, PremiumCharacter
from billing.stripe_api import (
    PaymentsNotConfigured,
    payments_configured,
    webhook_event_verify,
)
from characters.selectors import (
    character_get_for_user,
    character_get_owned,
    owned_characters,
)
from community.models import User

log = logging.getLogger(__name__)

PRO_FEATURES = [
    "Unlimited messages",
    "Replies on the priority queue",
    "Twice the memory (larger context)",
    "A Pro badge on your profile",
]


def _user(request: HttpRequest) -> User:
    """The logged-in user (views calling this are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _redirect_to_stripe(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    plan = entitlements_for(request.user)
    plans = [
        {
            "kind": PlanKind.PRO_MONTHLY.value,
            "name": "Pro monthly",
            "price": services.cents_display(settings.PRO_MONTHLY_CENTS),
            "per": "a month",
        },
        {
            "kind": PlanKind.PRO_YEARLY.value,
            "name": "Pro yearly",
            "price": services.cents_display(settings.PRO_YEARLY_CENTS),
            "per": "a year",
        },
        {
            "kind": PlanKind.PRO_LIFETIME.value,
            "name": "Pro lifetime",
            "price": services.cents_display(settings.PRO_LIFETIME_CENTS),
            "per": "once",
        },
    ]
    return render(
        request,
        "billing/pricing.html",
        {
            "plans": plans,
            "current": plan,
            "configured": payments_configured(),
            "pro_features": PRO_FEATURES,
            "free_daily": settings.FREE_DAILY_MESSAGES,
            "grace_days": settings.PRO_GRACE_DAYS,
        },
    )


@login_required
@require_POST
def checkout(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in (PlanKind.PRO_MONTHLY, PlanKind.PRO_YEARLY, PlanKind.PRO_LIFETIME):
        raise Http404
    return _checkout(request, kind=kind, back=reverse("billing:pricing"))


def _checkout(
    request: HttpRequest, *, kind: str, back: str, slug: str | None = None
) -> HttpResponse:
    user = _user(request)
    character = None
    if slug is not None:
        character = (
            character_get_owned(slug=slug, user=user)
            if kind == PlanKind.PROMOTION
            else character_get_for_user(slug=slug, user=user)
        )
    try:
        started = services.checkout_start(
            user=user,
            kind=kind,
            character=character,
            success_url=request.build_absolute_uri(reverse("billing:thanks"))
            + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(back),
        )
    except (ValidationError, PaymentsNotConfigured) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    except stripe.StripeError:
        log.exception("checkout failed")
        messages.error(request, "Stripe did not answer. Please try again in a minute.")
        return redirect(back)
    return _redirect_to_stripe(started.url)


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = services.portal_session_create(
            user=_user(request),
            return_url=request.build_absolute_uri(reverse("billing:pricing")),
        )
    except PaymentsNotConfigured as exc:
        messages.error(request, str(exc))
        return redirect("billing:pricing")
    except stripe.StripeError:
        log.exception("portal failed")
        messages.error(request, "Stripe did not answer. Please try again in a minute.")
        return redirect("billing:pricing")
    return _redirect_to_stripe(url)


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    """Where Stripe sends a buyer back (``?session_id=`` of their checkout).
    Says "paid" only when Stripe does: opened directly, it confirms nothing."""
    outcome = selectors.checkout_outcome(
        user=request.user, session_id=request.GET.get("session_id")
    )
    return render(
        request,
        "billing/thanks.html",
        {
            "outcome": outcome,
            "pro": outcome.checkout is not None and outcome.checkout.kind in PRO_KINDS,
            "promotion_days": settings.PROMOTION_DAYS,
        },
    )


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify, store once, queue. 400 and nothing stored on a bad signature."""
    try:
        payload = webhook_event_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except stripe.SignatureVerificationError as exc:
        return HttpResponseBadRequest(f"Invalid signature: {exc.user_message or exc}")
    except (ValueError, json.JSONDecodeError):
        return HttpResponseBadRequest("Invalid payload.")
    try:
        services.event_record(payload=payload)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    return HttpResponse(status=200)


# --- Creator program ---------------------------------------------------------


@login_required
@require_GET
def creator_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return redirect("billing:earnings", handle=user.profile.handle)


@login_required
@require_POST
def creator_onboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    earnings_url = reverse("billing:earnings", kwargs={"handle": user.profile.handle})
    try:
        url = services.creator_onboarding_link(
            user=user,
            refresh_url=request.build_absolute_uri(reverse("billing:creator_home")),
            return_url=request.build_absolute_uri(earnings_url),
        )
    except PaymentsNotConfigured as exc:
        messages.error(request, str(exc))
        return redirect(earnings_url)
    except stripe.StripeError:
        log.exception("onboarding failed")
        messages.error(request, "Stripe did not answer. Please try again in a minute.")
        return redirect(earnings_url)
    return _redirect_to_stripe(url)


@require_GET
def earnings(request: HttpRequest, handle: str) -> HttpResponse:
    creator = selectors.creator_get_for_viewer(handle=handle, viewer=request.user)
    summary = selectors.earnings_for(creator=creator)
    is_self = creator.pk == request.user.pk
    characters = list(owned_characters(user=creator)) if is_self else []
    premiums = {
        p.character_id: p
        for p in PremiumCharacter.objects.filter(character__in=characters, active=True)
    }
    return render(
        request,
        "billing/earnings.html",
        {
            "creator": creator,
            "summary": summary,
            "ledger": selectors.ledger_page(creator=creator),
            "is_self": is_self,
            "characters": [(c, premiums.get(c.pk)) for c in characters],
            "configured": payments_configured(),
            "minimum": settings.CREATOR_PAYOUT_MINIMUM_CENTS,
            "platform_share": settings.PLATFORM_SHARE_PERCENT,
            "creator_share": 100 - settings.PLATFORM_SHARE_PERCENT,
            "fund_percent": settings.CREATOR_FUND_PERCENT,
            "promotion_price": settings.PROMOTION_PRICE_CENTS,
            "promotion_days": settings.PROMOTION_DAYS,
        },
    )


@login_required
def premium_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    character = character_get_owned(slug=slug, user=user)
    premium = selectors.premium_for(character)
    account = CreatorAccount.objects.filter(user=user).first()
    error = ""
    value = (
        request.POST.get("price", "")
        if request.method == "POST"
        else (f"{premium.price_cents / 100:.2f}" if premium else "4.99")
    )
    if request.method == "POST":
        try:
            price = (
                None
                if request.POST.get("action") == "free"
                else services.price_parse(value)
            )
            services.premium_set(character=character, by=user, price_cents=price)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{character.name} is now supporters-only."
                if price is not None
                else f"{character.name} is free for everyone again.",
            )
            return redirect("billing:earnings", handle=user.profile.handle)
    return render(
        request,
        "billing/premium_edit.html",
        {
            "character": character,
            "premium": premium,
            "account": account,
            "value": value,
            "error": error,
            "min": services.cents_display(settings.PREMIUM_MIN_CENTS),
            "max": services.cents_display(settings.PREMIUM_MAX_CENTS),
            "platform_share": settings.PLATFORM_SHARE_PERCENT,
        },
        status=400 if error else 200,
    )


def premium_support(request: HttpRequest, slug: str) -> HttpResponse:
    """A premium character's supporter page: GET shows the offer, POST checks out.

    Anyone who may see the character sees this page (and its greeting); chatting
    needs a subscription (``character_chat_allowed``)."""
    character = character_get_for_user(slug=slug, user=request.user)
    premium = selectors.premium_for(character)
    if premium is None:
        raise Http404("This character is free for everyone.")
    back = reverse("billing:support", kwargs={"slug": slug})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={back}")
        return _checkout(request, kind=PlanKind.PREMIUM, back=back, slug=slug)
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(
        request,
        "billing/support.html",
        {
            "character": character,
            "premium": premium,
            "price": services.cents_display(premium.price_cents),
            "allowed": character_chat_allowed(request.user, character),
            "configured": payments_configured(),
        },
    )


@login_required
@require_POST
def promote(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    return _checkout(
        request,
        kind=PlanKind.PROMOTION,
        back=reverse("billing:earnings", kwargs={"handle": user.profile.handle}),
        slug=slug,
    )
