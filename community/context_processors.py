from __future__ import annotations

from django.http import HttpRequest

from community.models import Profile


def navigation(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's profile for the navigation bar (one query, cached on
    the request by the ``user.profile`` accessor)."""
    user = getattr(request, "user", None)
    profile = None
    if user is not None and user.is_authenticated:
        try:
            profile = user.profile
        except Profile.DoesNotExist:
            profile = None
    return {"nav_profile": profile}
