"""Billing API: a creator's earnings summary and ledger (the creator and staff
only; 404 for everyone else, as on the page)."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.models import LedgerEntry
from billing.selectors import creator_get_for_viewer, earnings_for, ledger_page
from characters.models import Character


class LedgerEntrySerializer(serializers.ModelSerializer[LedgerEntry]):
    character: serializers.SlugRelatedField[Character] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "amount_cents",
            "character",
            "month",
            "note",
            "created_at",
        ]


class EarningsSerializer(serializers.Serializer[dict[str, object]]):
    onboarded = serializers.BooleanField()
    balance_cents = serializers.IntegerField()
    pending_cents = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    earned_cents = serializers.IntegerField()
    ledger = LedgerEntrySerializer(many=True)


class CreatorEarningsView(APIView):
    """Earnings summary and the newest ledger rows (up to 100)."""

    permission_classes = [IsAuthenticated]
    serializer_class = EarningsSerializer

    def get(self, request: Request, handle: str) -> Response:
        creator = creator_get_for_viewer(handle=handle, viewer=request.user)
        summary = earnings_for(creator=creator)
        data = {
            "onboarded": bool(summary.account and summary.account.onboarded),
            "balance_cents": summary.balance_cents,
            "pending_cents": summary.pending_cents,
            "paid_cents": summary.paid_cents,
            "earned_cents": summary.earned_cents,
            "ledger": list(ledger_page(creator=creator, limit=100)),
        }
        return Response(EarningsSerializer(data).data)
