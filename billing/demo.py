"""This app's part of `seed_demo` (idempotent).

Billing data comes from Stripe, so the demo only records a staff grant of Pro
for the first staff user's own account — nothing that needs Stripe.
"""

from __future__ import annotations

from billing.models import ProGrant
from community.models import User

DEMO_REASON = "Demo data: Pro to try the unlimited plan."


def seed() -> list[str]:
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    if staff is None:
        return []
    _, created = ProGrant.objects.get_or_create(
        user=staff,
        reason=DEMO_REASON,
        defaults={"granted_by": staff},
    )
    return [f"Pro granted to {staff.email}"] if created else []
