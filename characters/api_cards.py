"""Character Card import and export over the API (see characters.card_services)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.card_services import (
    card_request_too_large,
    character_export,
    character_import,
)
from characters.models import Character
from characters.selectors import character_get_for_user
from community.models import User
from config.api_errors import (
    ErrorSerializer,
    error_response,
    validation_error_response,
)


def character_url(character: Character) -> str:
    """The character's page; the studio's edit page is preferred by the importer.
    Falls back to a plain path while the character pages are not routed."""
    try:
        return character.get_absolute_url()
    except NoReverseMatch:
        return f"/c/{character.slug}/"


class CardImportRequest(serializers.Serializer[None]):
    file = serializers.FileField(
        help_text="A Character Card: V1/V2/V3 JSON, PNG with a chara/ccv3 chunk, "
        "or CHARX. Up to 10 MB."
    )
    publish = serializers.BooleanField(
        required=False, default=False, help_text="Publish it as version 1."
    )


class CardImportResponse(serializers.Serializer[None]):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()


class CardImportView(APIView):
    """Import a Character Card as a new character owned by the caller."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": CardImportRequest},
        responses={201: CardImportResponse, 400: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        too_large = card_request_too_large(request.META.get("CONTENT_LENGTH"))
        if too_large is not None:
            return validation_error_response(too_large)
        upload = request.FILES.get("file")
        if upload is None:
            return error_response(
                "No file: send the card as the multipart field “file”.",
                fields={"file": ["This field is required."]},
            )
        user = request.user
        if not isinstance(user, User):  # IsAuthenticated has let only users in
            raise NotAuthenticated
        raw = str(request.POST.get("publish", "")).strip().lower()
        if raw not in _TRUE | _FALSE:
            return error_response(
                f"“publish” is true or false, not “{raw[:20]}”.",
                fields={"publish": ["Send true or false."]},
            )
        publish = raw in _TRUE
        try:
            character = character_import(
                owner=user, upload=upload, filename=upload.name or "", publish=publish
            )
        except ValidationError as exc:
            return validation_error_response(exc)
        return Response(
            {
                "slug": character.slug,
                "name": character.name,
                "url": request.build_absolute_uri(character_url(character)),
            },
            status=201,
        )


# How a multipart form can say yes or no (an absent field is no).
_TRUE = frozenset({"1", "true", "on", "yes"})
_FALSE = frozenset({"", "0", "false", "off", "no"})


class _IgnoreFormatParam(BaseContentNegotiation):
    """``?format=`` here picks the card format, not DRF's renderer."""

    def select_parser(
        self, request: Request, parsers: Iterable[BaseParser]
    ) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class CardExportView(APIView):
    """Download a character as a Character Card file."""

    permission_classes = [AllowAny]
    content_negotiation_class = _IgnoreFormatParam

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["png", "v2", "v3"],
                default="png",
                description="png: the avatar with chara (V2) and ccv3 (V3) chunks; "
                "v2 / v3: Card JSON.",
            )
        ],
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request: Request, slug: str) -> HttpResponse | Response:
        fmt = request.query_params.get("format", "png")
        try:
            character = character_get_for_user(slug=slug, user=request.user)
            content, filename, content_type = character_export(
                character=character, user=request.user, fmt=fmt
            )
        except ValidationError as exc:
            return validation_error_response(exc)
        except Http404:
            return error_response("No such character.", code="not_found", status=404)
        except PermissionDenied as exc:
            return error_response(str(exc), code="permission_denied", status=403)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
