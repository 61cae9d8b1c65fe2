"""Characters API under /api/v1/characters/ (DRF).

Errors are the API's body (config.api_errors): ``{"error": "...", "fields":
{field: [messages]}}``, 400 for bad input; what a user may not see is 404
whatever the reason.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters import selectors
from characters.definition import definition_public
from characters.models import (
    Category,
    Character,
    CharacterVersion,
    ContentRating,
    Style,
    Visibility,
)
from characters.selectors import SORTS
from characters.services import (
    Settings,
    character_create,
    character_definition,
    character_delete,
    character_draft_save,
    character_publish,
    character_remix,
)
from community.models import User
from config.api_errors import error_response, validation_error_response
from config.cursors import BadCursor
from config.params import whole_number


class CharacterListItemSerializer(serializers.Serializer[Character]):
    slug = serializers.CharField()
    name = serializers.CharField()
    tagline = serializers.CharField()
    avatar = serializers.SerializerMethodField()
    category = serializers.CharField()
    style = serializers.CharField()  # type: ignore[assignment]  # DRF's Field.style attribute has the same name
    language = serializers.CharField()
    content_rating = serializers.CharField()
    creator = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    chats_count = serializers.IntegerField()
    messages_count = serializers.IntegerField()
    likes_count = serializers.IntegerField()
    rating_average = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_avatar(self, obj: Character) -> str | None:
        return obj.avatar.url if obj.avatar else None

    def get_creator(self, obj: Character) -> str:
        return obj.owner.profile.handle

    def get_tags(self, obj: Character) -> list[str]:
        return [t for t in obj.tags_text.split(" ") if t] if obj.tags_text else []

    def get_url(self, obj: Character) -> str:
        return obj.get_absolute_url()


class CharacterPageSerializer(serializers.Serializer[dict[str, Any]]):
    results = CharacterListItemSerializer(many=True)
    next = serializers.URLField(
        allow_null=True, help_text="The next page's address; null on the last page."
    )


class CharacterDetailSerializer(CharacterListItemSerializer):
    visibility = serializers.CharField()
    definition_visible = serializers.BooleanField()
    remix_allowed = serializers.BooleanField()
    version = serializers.SerializerMethodField()
    definition = serializers.SerializerMethodField()
    has_unpublished_changes = serializers.SerializerMethodField()
    remixed_from = serializers.SerializerMethodField()

    def _viewer(self) -> Any:
        return self.context["request"].user

    def get_version(self, obj: Character) -> int | None:
        return obj.published_version.number if obj.published_version else None

    def get_definition(self, obj: Character) -> dict[str, Any] | None:
        viewer = self._viewer()
        if viewer.is_authenticated and viewer.pk == obj.owner_id:
            data, _ = character_definition(obj)
            return data
        if obj.published_version is None:
            return None
        return definition_public(
            obj.published_version.data,
            definition_visible=selectors.can_see_definition(character=obj, user=viewer),
        )

    def get_has_unpublished_changes(self, obj: Character) -> bool | None:
        viewer = self._viewer()
        if viewer.is_authenticated and viewer.pk == obj.owner_id:
            return obj.draft is not None
        return None

    def get_remixed_from(self, obj: Character) -> str | None:
        source = obj.remixed_from
        if (
            source is None
            or source.visibility == Visibility.PRIVATE
            or source.deleted_at is not None
        ):
            return None
        return source.slug


class CharacterWriteSerializer(serializers.Serializer[dict[str, Any]]):
    definition = serializers.DictField(
        required=False, help_text="Character Card V3 `data`."
    )
    tagline = serializers.CharField(required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    style = serializers.ChoiceField(choices=Style.choices, required=False)  # type: ignore[assignment]  # as above
    language = serializers.CharField(required=False)
    content_rating = serializers.ChoiceField(
        choices=ContentRating.choices, required=False
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    definition_visible = serializers.BooleanField(required=False)
    remix_allowed = serializers.BooleanField(required=False)
    publish = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


META_KEYS = ("tagline", "category", "style", "language", "content_rating")


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _validated(request: Request) -> dict[str, Any]:
    """The body, checked by the serializer; a wrong field is a 400 through the
    API's exception handler."""
    serializer = CharacterWriteSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class CharacterListView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str),
            OpenApiParameter("category", str, enum=Category.values),
            OpenApiParameter("tag", str),
            OpenApiParameter("sort", str, enum=list(SORTS)),
            OpenApiParameter("cursor", str),
            OpenApiParameter("page_size", int),
        ],
        responses=CharacterPageSerializer,
        # A page object, not an array: without it the id became "…_retrieve".
        operation_id="v1_characters_list",
    )
    def get(self, request: Request) -> Response:
        try:
            size = whole_number(request.query_params, "page_size", selectors.PAGE_SIZE)
            page = selectors.catalog_page(
                user=request.user,
                sort=request.query_params.get("sort", "trending"),
                category=request.query_params.get("category") or None,
                tag=request.query_params.get("tag") or None,
                q=request.query_params.get("q") or None,
                cursor=request.query_params.get("cursor") or None,
                size=size,
            )
        except (BadCursor, ValueError) as exc:
            return error_response(str(exc))
        next_url = None
        if page.next_cursor:
            params = request.query_params.copy()
            params["cursor"] = page.next_cursor
            next_url = request.build_absolute_uri(
                f"{request.path}?{params.urlencode()}"
            )
        return Response(
            {
                # The stubs do not model many=True.
                "results": CharacterListItemSerializer(
                    page.items,  # type: ignore[arg-type]
                    many=True,
                ).data,
                "next": next_url,
            }
        )

    @extend_schema(
        request=CharacterWriteSerializer, responses={201: CharacterDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        data = _validated(request)
        if "definition" not in data:
            return error_response(
                "“definition” is required: the card's data as an object.",
                fields={"definition": ["This field is required."]},
            )
        try:
            character = character_create(
                owner=_user(request),
                data=data["definition"],
                meta={k: data[k] for k in META_KEYS if k in data},
                switches=Settings(
                    visibility=data.get("visibility", Visibility.PUBLIC),
                    definition_visible=data.get("definition_visible", True),
                    remix_allowed=data.get("remix_allowed", True),
                ),
                publish=data["publish"],
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            return validation_error_response(exc)
        return Response(
            CharacterDetailSerializer(character, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
            headers={
                "Location": reverse(
                    "api:character-detail", kwargs={"slug": character.slug}
                )
            },
        )


class CharacterDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=CharacterDetailSerializer)
    def get(self, request: Request, slug: str) -> Response:
        character = selectors.character_get_for_user(slug=slug, user=request.user)
        return Response(
            CharacterDetailSerializer(character, context={"request": request}).data
        )

    @extend_schema(
        request=CharacterWriteSerializer, responses=CharacterDetailSerializer
    )
    def patch(self, request: Request, slug: str) -> Response:
        character = selectors.character_get_owned(slug=slug, user=request.user)
        data = _validated(request)
        base, meta = character_definition(character)
        definition = {**base, **data["definition"]} if "definition" in data else base
        meta = {**meta, **{k: data[k] for k in META_KEYS if k in data}}
        switches = Settings(
            visibility=data.get("visibility", character.visibility),
            definition_visible=data.get(
                "definition_visible", character.definition_visible
            ),
            remix_allowed=data.get("remix_allowed", character.remix_allowed),
        )
        from django.db import transaction

        try:
            with transaction.atomic():
                saved = character_draft_save(
                    character=character, data=definition, meta=meta, switches=switches
                )
                # Publishing what is already live is no new version: a client
                # may send "publish": true with every save.
                if data["publish"] and saved.character.draft is not None:
                    character_publish(
                        character=character,
                        by=_user(request),
                        note=data.get("note", ""),
                    )
        except ValidationError as exc:
            return validation_error_response(exc)
        character = selectors.character_get_owned(slug=slug, user=request.user)
        return Response(
            CharacterDetailSerializer(character, context={"request": request}).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        character = selectors.character_get_owned(slug=slug, user=request.user)
        character_delete(character=character)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CharacterRemixView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: CharacterDetailSerializer})
    def post(self, request: Request, slug: str) -> Response:
        character = selectors.character_get_for_user(slug=slug, user=request.user)
        try:
            copy_ = character_remix(character=character, user=_user(request))
        except ValidationError as exc:
            return validation_error_response(exc)
        return Response(
            CharacterDetailSerializer(copy_, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class VersionSerializer(serializers.Serializer[CharacterVersion]):
    number = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    live = serializers.SerializerMethodField()

    def get_live(self, obj: CharacterVersion) -> bool:
        return obj.character.published_version_id == obj.pk


class VersionListSerializer(serializers.Serializer[dict[str, Any]]):
    results = VersionSerializer(many=True)


class CharacterVersionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=VersionListSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """The version history; only the creator sees it."""
        character = selectors.character_get_owned(slug=slug, user=request.user)
        versions = selectors.version_list(character=character).select_related(
            "character"
        )
        # The stubs do not model many=True.
        data = VersionSerializer(versions, many=True).data  # type: ignore[arg-type]
        return Response({"results": data})
