from __future__ import annotations

from typing import Any

import pytest

from billing.demo import seed
from billing.entitlements import entitlements_for
from billing.models import ProGrant

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(staff_user: Any) -> None:
    assert seed() == [f"Pro granted to {staff_user.email}"]
    assert seed() == []
    grant = ProGrant.objects.get()
    assert grant.granted_by == staff_user
    assert entitlements_for(staff_user).is_pro


def test_seed_without_staff_does_nothing() -> None:
    assert seed() == []
    assert not ProGrant.objects.exists()
