"""Demo data for the quick start and screenshots. Every step is idempotent: it
looks for what it would create and leaves existing rows alone."""

from __future__ import annotations

from django.db import transaction

from community.models import Profile, User
from community.services import user_create

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "kindred-demo"  # noqa: S105  (a published demo login, by design)


def _demo_user() -> tuple[User, bool]:
    existing = User.objects.filter(email=DEMO_EMAIL).first()
    if existing is not None:
        return existing, False
    user = user_create(
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        handle="demo",
        display_name="Demo",
        email_verified=True,
    )
    Profile.objects.filter(user=user).update(
        bio="I'm the demo account. Look around, chat with a character, make one of your own."
    )
    return user, True


@transaction.atomic
def seed_demo() -> list[str]:
    report = []
    _, created = _demo_user()
    report.append(f"demo user: {'created' if created else 'already there'}")
    # Each app seeds its own part, in dependency order.
    from billing import demo as billing_demo
    from characters import demo as characters_demo
    from chat import demo as chat_demo

    for seeder in (
        characters_demo.seed,
        chat_demo.seed,
        community_seed,
        billing_demo.seed,
    ):
        report.extend(seeder())
    # Engagement from the seeds above shows up in Trending at once.
    from characters.trending import trending_refresh

    trending_refresh()
    return report


def community_seed() -> list[str]:
    """Follows, ratings, comments, boards, posts (the community issue)."""
    return []
