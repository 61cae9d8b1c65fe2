"""Site-wide pages: home, health check, error pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from config import api_errors

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The welcome page; a signed-in member's home is Discover (where logging
    in lands too, LOGIN_REDIRECT_URL being "/")."""
    if request.user.is_authenticated:
        return redirect("characters:discover")
    return render(request, "home.html")


def _check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason goes to the log
        logger.warning("healthz: database check failed: %s", exc)
        return "down"
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        client.close()
    except redis.RedisError as exc:
        logger.warning("healthz: redis check failed: %s", exc)
        return "down"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "redis": _check_redis()}
    healthy = all(value != "down" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


# Under /api/ a client reads JSON: the API's error body (config.api_errors),
# for addresses no view matched and for what failed outside DRF's views.


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.not_found_json(request)
    return render(request, "404.html", status=404)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.bad_request_json()
    from django.views.defaults import bad_request as django_bad_request

    return django_bad_request(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api_request(request):
        return api_errors.server_error_json()
    # Rendered without the request context: whatever failed may be in it.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
