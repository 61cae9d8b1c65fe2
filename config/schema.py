"""The OpenAPI schema's conventions (drf-spectacular's ``DEFAULT_SCHEMA_CLASS``).

Every operation documents the API's one error body (``config.api_errors``,
the ``Error`` component) under each status it can answer with it, so that a
client generated from the schema reads errors as the server writes them:

- 400 for a request with a body or query parameters (bad input);
- 401 where a login is required (the bearer scheme names itself in
  ``WWW-Authenticate``, so DRF answers 401, not 403);
- 404 for an address with parameters (what does not exist, or is not the
  viewer's to see).

A view's own ``extend_schema(responses={...})`` for one of these statuses wins.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import (
    SAFE_METHODS,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)

from config.api_errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Bad input: `error` says what to change, `fields` names each field.",
    "401": "Sign in first (a session or an `Authorization: Bearer` token).",
    "404": "It does not exist, or it is not yours to see.",
}


def error_response(status: int | str) -> OpenApiResponse:
    """The error body under ``status``, for a view's ``extend_schema``."""
    return OpenApiResponse(
        ErrorSerializer, description=ERROR_DESCRIPTIONS.get(str(status), "An error.")
    )


class AutoSchema(openapi.AutoSchema):
    def _needs_login(self) -> bool:
        for permission in self.view.get_permissions():
            if type(permission) is IsAuthenticated:
                return True
            if (
                type(permission) is IsAuthenticatedOrReadOnly
                and self.method not in SAFE_METHODS
            ):
                return True
        return False

    def _error_statuses(self) -> list[str]:
        statuses = []
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if self.method not in ("GET", "DELETE") or has_query:
            statuses.append("400")
        if self._needs_login():
            statuses.append("401")
        if "{" in self.path:
            statuses.append("404")
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(  # type: ignore[no-untyped-call]  # drf-spectacular ships no types
                    error_response(status), status, direction=direction
                )
        return responses
