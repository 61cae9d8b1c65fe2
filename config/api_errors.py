"""One error body for the whole REST API (``/api/...``).

Every error answers ``{"error": "<a sentence>", "fields": {name: [messages]}}``,
plus ``"code"`` where a machine-readable code exists: chat's codes
(``invalid_field``, ``not_entitled``, …) and the HTTP-level ones
(``parse_error``, ``not_authenticated``, ``authentication_failed``,
``permission_denied``, ``not_found``, ``method_not_allowed``,
``unsupported_media_type``, ``throttled``, ``server_error``). ``error`` is
written for a person and says what to do; ``fields`` names each field that is
wrong (empty when the error is about no field in particular).

Views build bodies with ``error_response`` and ``validation_error_response``;
``exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) gives DRF's own
exceptions — malformed JSON, serializer errors, 401/403/404/405, throttling —
and a service's uncaught ``ValidationError`` the same body; ``config.views``
answers routes no view matched under ``/api/`` with it too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

API_PREFIX = "/api/"


class ErrorBody(TypedDict):
    error: str
    fields: dict[str, list[str]]
    code: NotRequired[str]


class ErrorSerializer(serializers.Serializer[ErrorBody]):
    """The error body, for the OpenAPI schema."""

    error = serializers.CharField(help_text="What went wrong and what to do.")
    fields = serializers.DictField(  # type: ignore[assignment]  # the JSON key is "fields", which shadows Serializer.fields only in this schema-only class
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field; empty when no field is at fault.",
    )
    code = serializers.CharField(
        required=False, help_text="A machine-readable code, where there is one."
    )


def error_body(
    message: str,
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    code: str | None = None,
) -> ErrorBody:
    body = ErrorBody(
        error=message,
        fields={name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()},
    )
    if code:
        body["code"] = code
    return body


def error_response(
    message: str,
    *,
    fields: Mapping[str, Sequence[str]] | None = None,
    code: str | None = None,
    status: int = 400,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        error_body(message, fields=fields, code=code),
        status=status,
        headers=dict(headers) if headers else None,
    )


def validation_error_body(exc: DjangoValidationError) -> ErrorBody:
    """A service's ``ValidationError``: every message in ``error`` (services
    write them as sentences naming the field), those of a field under it."""
    fields: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        fields = {
            name: [m for e in errors for m in e.messages]
            for name, errors in exc.error_dict.items()
            if name != NON_FIELD_ERRORS
        }
    return error_body(" ".join(exc.messages), fields=fields)


def validation_error_response(
    exc: DjangoValidationError, *, status: int = 400
) -> Response:
    return Response(validation_error_body(exc), status=status)


def json_kind(value: object) -> str:
    """What a parsed JSON value is, as an error names it ("not an object")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    return "an object"


def not_an_object_message(data: object) -> str:
    return (
        'The request body must be a JSON object ({"name": value, …}), '
        f"not {json_kind(data)}."
    )


# --- DRF's exceptions -----------------------------------------------------------


def _flatten(detail: object, prefix: str, out: dict[str, list[str]]) -> None:
    """Serializer errors by field; a nested field is ``outer.inner`` (a list's
    item ``outer.0``)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(detail, list) and any(isinstance(d, dict | list) for d in detail):
        for i, value in enumerate(detail):
            _flatten(value, f"{prefix}.{i}" if prefix else str(i), out)
    elif isinstance(detail, list):
        out.setdefault(prefix, []).extend(str(d) for d in detail)
    else:
        out.setdefault(prefix, []).append(str(detail))


def _serializer_error_body(detail: object) -> ErrorBody:
    flat: dict[str, list[str]] = {}
    _flatten(detail, "", flat)
    general = flat.pop("", []) + flat.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    # DRF's messages do not name their field ("This field is required."): the
    # sentence does.
    sentence = " ".join(
        [*general, *(f"“{name}”: {m}" for name, msgs in flat.items() for m in msgs)]
    )
    return error_body(sentence or "The request is not valid.", fields=flat)


def _parse_error_message(exc: exceptions.ParseError) -> str:
    # DRF's JSON parser raises ParseError("JSON parse error - <reason>") while
    # handling the decoder's exception, which is kept as the context: it says
    # where the body goes wrong.
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, json.JSONDecodeError):
        what = cause.msg[:1].lower() + cause.msg[1:]
        where = f"line {cause.lineno}, column {cause.colno}"
        # "Unterminated string starting at" already ends in "at".
        at = " " if what.endswith(" at") else " at "
        return f"The request body is not valid JSON: {what}{at}{where}."
    if isinstance(cause, UnicodeDecodeError):
        return (
            "The request body is not valid JSON: it is not UTF-8 text "
            f"(byte {cause.start + 1} cannot be decoded)."
        )
    detail = str(exc.detail)
    prefix = "JSON parse error - "
    if detail.startswith(prefix):
        reason = detail.removeprefix(prefix).rstrip(".")
        return f"The request body is not valid JSON: {reason}."
    return detail


def _default(exc: exceptions.APIException) -> bool:
    return str(exc.detail) == str(exc.default_detail)


def _message(exc: exceptions.APIException, context: Mapping[str, object]) -> str:
    detail = str(exc.detail)
    if isinstance(exc, exceptions.ParseError):
        return _parse_error_message(exc)
    if isinstance(exc, exceptions.NotAuthenticated) and _default(exc):
        return (
            "Sign in first: send the session cookie of a signed-in browser or "
            "an “Authorization: Bearer <token>” header (tokens are made under "
            "Settings → Access tokens)."
        )
    if isinstance(exc, exceptions.PermissionDenied) and detail.startswith(
        "CSRF Failed"
    ):
        reason = detail.removeprefix("CSRF Failed:").strip().rstrip(".")
        return (
            f"The CSRF check failed ({reason}): a browser "
            "session must send its CSRF token in the X-CSRFToken header; other "
            "clients should use a bearer token."
        )
    if isinstance(exc, exceptions.NotFound) and _default(exc):
        return "Not found: it does not exist, or it is not yours to see."
    if isinstance(exc, exceptions.MethodNotAllowed):
        view = context.get("view")
        allowed = [
            m
            for m in getattr(view, "allowed_methods", [])
            if m not in ("HEAD", "OPTIONS")
        ]
        request = context.get("request")
        method = getattr(request, "method", "This method")
        takes = f"; this address takes {', '.join(allowed)}" if allowed else ""
        return f"{method} is not allowed here{takes}."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        request = context.get("request")
        types = [p.media_type for p in getattr(request, "parsers", []) or []]
        sent = getattr(request, "content_type", "") or "nothing"
        accepted = " or ".join(t for t in types if t)
        return (
            f"This address does not take a “{sent}” body; send {accepted}."
            if accepted
            else f"This address does not take a “{sent}” body."
        )
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        if wait:
            seconds = max(1, round(wait))
            unit = "second" if seconds == 1 else "seconds"
            return f"Too many requests: try again in {seconds} {unit}."
        return "Too many requests: try again in a moment."
    return detail


def exception_handler(exc: Exception, context: dict[str, object]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: DRF's own handling (status, ``WWW-
    Authenticate``, ``Retry-After``, rolling back the request's transaction),
    then this module's body. Anything else stays a 500 (``config.views``)."""
    if isinstance(exc, DjangoValidationError):
        # A service's refusal a view did not catch is the client's error, not ours.
        set_rollback()
        return validation_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        request = context.get("request")
        data = getattr(request, "data", {}) if request is not None else {}
        if not isinstance(data, Mapping):
            # A serializer says "Expected a dictionary, but got list.": what
            # the client must change is the body's shape.
            response.data = error_body(not_an_object_message(data))
        else:
            response.data = _serializer_error_body(exc.detail)
        return response
    # DRF's handler turned Django's Http404 / PermissionDenied into its own.
    if not isinstance(exc, exceptions.APIException):
        api_exc: exceptions.APIException = (
            exceptions.NotFound(*exc.args)
            if response.status_code == 404
            else exceptions.PermissionDenied(*exc.args)
        )
    else:
        api_exc = exc
    codes = api_exc.get_codes()
    response.data = error_body(
        _message(api_exc, context),
        code=codes if isinstance(codes, str) else None,
    )
    return response


# --- Django's error handlers, for addresses under /api/ ---------------------------


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body(
            f"There is nothing at {request.path}: check the address against "
            "the API's routes at /api/docs/.",
            code="not_found",
        ),
        status=404,
    )


def bad_request_json() -> JsonResponse:
    return JsonResponse(
        error_body(
            "The request could not be read (too large, or malformed); "
            "check its size and headers and send it again.",
            code="bad_request",
        ),
        status=400,
    )


def server_error_json() -> JsonResponse:
    return JsonResponse(
        error_body(
            "Something went wrong on our side; nothing you sent is at fault. "
            "Try again in a moment.",
            code="server_error",
        ),
        status=500,
    )
