"""Billing in the admin: read-only money records; staff grants of Pro."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from billing.models import (
    CheckoutRequest,
    CreatorAccount,
    Customer,
    FundRun,
    LedgerEntry,
    LifetimePurchase,
    Payment,
    Payout,
    PremiumCharacter,
    ProGrant,
    Promotion,
    StripeEvent,
    Subscription,
)


class ReadOnlyAdmin(admin.ModelAdmin[Model]):
    """Money records come from Stripe and the ledger: look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.register(ProGrant)
class ProGrantAdmin(admin.ModelAdmin[ProGrant]):
    """Staff give Pro by hand; ``granted_by`` is whoever saves it here."""

    list_display = (
        "user",
        "reason",
        "granted_by",
        "created_at",
        "ends_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("user__email", "user__profile__handle", "reason")
    raw_id_fields = ("user",)
    readonly_fields = ("granted_by", "created_at", "revoked_at")
    fields = ("user", "reason", "ends_at", "granted_by", "created_at", "revoked_at")
    actions = ("revoke",)

    def save_model(
        self, request: HttpRequest, obj: ProGrant, form: object, change: bool
    ) -> None:
        if not change and request.user.is_authenticated:
            obj.granted_by_id = request.user.pk
        super().save_model(request, obj, form, change)

    def has_delete_permission(
        self, request: HttpRequest, obj: ProGrant | None = None
    ) -> bool:
        return False  # revoke instead: the record of who granted what stays

    @admin.action(description="Revoke the selected grants")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ProGrant]) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = (
        "event_id",
        "type",
        "created",
        "received_at",
        "processed_at",
        "error",
    )
    list_filter = ("type",)
    search_fields = ("event_id",)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = (
        "stripe_subscription_id",
        "user",
        "kind",
        "status",
        "payment_failed_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("stripe_subscription_id", "user__email")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "creator",
        "kind",
        "amount_cents",
        "character",
        "month",
    )
    list_filter = ("kind",)
    search_fields = ("creator__email", "key")


for model in (
    Customer,
    CheckoutRequest,
    LifetimePurchase,
    Payment,
    CreatorAccount,
    PremiumCharacter,
    Promotion,
    FundRun,
    Payout,
):
    admin.site.register(model, ReadOnlyAdmin)
