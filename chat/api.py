"""JSON API for conversations, their messages and personas (thin views)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from characters.selectors import character_get_for_user
from chat import selectors, services
from chat.models import Conversation, Persona
from community.models import User
from config.api_errors import error_response
from config.cursors import BadCursor
from config.params import BadParam, whole_number


class ConversationSerializer(serializers.Serializer[Conversation]):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    character = serializers.CharField(source="character.slug", read_only=True)
    character_name = serializers.CharField(source="character.name", read_only=True)
    persona = serializers.IntegerField(
        source="persona_id", read_only=True, allow_null=True
    )
    preview = serializers.CharField(read_only=True)
    last_seq = serializers.IntegerField(read_only=True)
    last_message_at = serializers.DateTimeField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    is_read_only = serializers.SerializerMethodField()
    socket = serializers.SerializerMethodField()

    def get_is_read_only(self, obj: Conversation) -> bool:
        return obj.character.deleted_at is not None

    def get_socket(self, obj: Conversation) -> str:
        return f"/ws/conversations/{obj.pk}/"


class ConversationCreateSerializer(serializers.Serializer[dict[str, Any]]):
    character = serializers.SlugField()
    persona = serializers.IntegerField(required=False, allow_null=True)


class ConversationUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    persona = serializers.IntegerField(required=False, allow_null=True)


class PersonaSerializer(serializers.Serializer[Persona]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000
    )
    is_default = serializers.BooleanField(required=False, default=False)


# PATCH's body in the schema. The view reads it with
# PersonaSerializer(partial=True), which applies no default: a field left out
# stays as it is, is_default too.
class PersonaUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    """What to change; a field left out stays as it is."""

    name = serializers.CharField(required=False, max_length=60)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000
    )
    is_default = serializers.BooleanField(required=False)


class ConversationPageSerializer(serializers.Serializer[dict[str, Any]]):
    results = ConversationSerializer(many=True)
    next_cursor = serializers.CharField(
        allow_null=True,
        help_text="The next page's ?cursor=; null on the last page.",
    )


class AlternativeSerializer(serializers.Serializer[dict[str, Any]]):
    index = serializers.IntegerField()
    text = serializers.CharField()
    status = serializers.CharField()
    finish_reason = serializers.CharField()
    error = serializers.CharField()
    stars = serializers.IntegerField(allow_null=True)
    feedback = serializers.CharField()
    html = serializers.CharField(
        required=False, help_text="Finished alternatives only."
    )


class MessageSerializer(serializers.Serializer[dict[str, Any]]):
    """A message, as the socket sends it too (chat.selectors.MessagePayload)."""

    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    author = serializers.CharField()
    name = serializers.CharField()
    selected = serializers.IntegerField()
    is_greeting = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    alternatives = AlternativeSerializer(many=True)
    rev = serializers.CharField()
    client_id = serializers.CharField(required=False, allow_null=True)


class MessagePageSerializer(serializers.Serializer[dict[str, Any]]):
    results = MessageSerializer(many=True)
    previous_before_seq = serializers.IntegerField(
        allow_null=True, help_text="before_seq of the page before; null at the start."
    )


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):  # IsAuthenticated ran first
        raise Http404
    return user


def _chat_error(exc: services.ChatError) -> Response:
    return error_response(exc.message, code=exc.code)


def _persona(pk: object, user: User) -> Persona | None:
    if pk is None:
        return None
    if not isinstance(pk, int):
        raise services.ChatError("invalid_field", "“persona” must be a persona id.")
    try:
        return selectors.persona_get_for_user(pk=pk, user=user)
    except Http404:
        raise services.ChatError("invalid_field", "No such persona.") from None


class ConversationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int), OpenApiParameter("cursor", str)],
        responses=ConversationPageSerializer,
        # A page object, not an array: without it the id became "…_retrieve".
        operation_id="v1_conversations_list",
    )
    def get(self, request: Request) -> Response:
        try:
            limit = max(1, min(whole_number(request.query_params, "limit", 50), 100))
            rows, next_cursor = selectors.conversation_page(
                user=_user(request),
                cursor=request.query_params.get("cursor") or None,
                size=limit,
            )
        except (BadParam, BadCursor) as exc:
            return error_response(str(exc))
        return Response(
            {
                "results": [ConversationSerializer(c).data for c in rows],
                "next_cursor": next_cursor,
            }
        )

    @extend_schema(
        request=ConversationCreateSerializer, responses={201: ConversationSerializer}
    )
    def post(self, request: Request) -> Response:
        data = ConversationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = _user(request)
        try:
            character = character_get_for_user(
                slug=data.validated_data["character"], user=user
            )
        except Http404:
            return error_response(
                "No such character.",
                fields={"character": ["No such character."]},
                code="invalid_field",
            )
        try:
            persona = _persona(data.validated_data.get("persona"), user)
            conversation = services.conversation_start(
                user=user, character=character, persona=persona
            )
        except services.ChatError as exc:
            return _chat_error(exc)
        conversation = selectors.conversation_get_for_user(
            pk=conversation.pk, user=user
        )
        return Response(ConversationSerializer(conversation).data, status=201)


class ConversationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ConversationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        conversation = selectors.conversation_get_for_user(pk=pk, user=request.user)
        return Response(ConversationSerializer(conversation).data)

    @extend_schema(
        request=ConversationUpdateSerializer, responses=ConversationSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = _user(request)
        conversation = selectors.conversation_get_for_user(pk=pk, user=user)
        data = ConversationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            if "title" in data.validated_data:
                services.conversation_rename(
                    conversation=conversation, title=data.validated_data["title"]
                )
            if "persona" in data.validated_data:
                services.conversation_persona_set(
                    conversation=conversation,
                    persona=_persona(data.validated_data["persona"], user),
                )
        except services.ChatError as exc:
            return _chat_error(exc)
        conversation = selectors.conversation_get_for_user(pk=pk, user=user)
        return Response(ConversationSerializer(conversation).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        conversation = selectors.conversation_get_for_user(pk=pk, user=request.user)
        services.conversation_delete(conversation=conversation)
        return Response(status=204)


class MessageListView(APIView):
    """History, oldest first within a page. Without parameters: the newest
    ``limit`` messages; ``before_seq`` pages back, ``after_seq`` forward."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("before_seq", int),
            OpenApiParameter("after_seq", int),
            OpenApiParameter("limit", int),
        ],
        responses=MessagePageSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        conversation = selectors.conversation_get_for_user(pk=pk, user=request.user)
        params: dict[str, int | None] = {}
        try:
            for name in ("before_seq", "after_seq", "limit"):
                params[name] = whole_number(request.query_params, name, None)
        except BadParam as exc:
            return error_response(str(exc))
        limit = params.pop("limit", None) or selectors.PAGE_SIZE
        messages = selectors.message_page(
            conversation=conversation,
            before_seq=params.get("before_seq"),
            after_seq=params.get("after_seq"),
            limit=limit,
        )
        results = [selectors.message_payload(conversation, m) for m in messages]
        first = results[0]["seq"] if results else None
        return Response(
            {
                "results": results,
                "previous_before_seq": first
                if first is not None and first > 1
                else None,
            }
        )


class PersonaListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PersonaSerializer(many=True))
    def get(self, request: Request) -> Response:
        personas = selectors.persona_list(user=_user(request))
        return Response([PersonaSerializer(p).data for p in personas])

    @extend_schema(request=PersonaSerializer, responses={201: PersonaSerializer})
    def post(self, request: Request) -> Response:
        data = PersonaSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            persona = services.persona_create(
                user=_user(request), **data.validated_data
            )
        except services.ChatError as exc:
            return _chat_error(exc)
        return Response(PersonaSerializer(persona).data, status=201)


class PersonaDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=PersonaSerializer)
    def get(self, request: Request, pk: int) -> Response:
        persona = selectors.persona_get_for_user(pk=pk, user=request.user)
        return Response(PersonaSerializer(persona).data)

    @extend_schema(request=PersonaUpdateSerializer, responses=PersonaSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        persona = selectors.persona_get_for_user(pk=pk, user=request.user)
        data = PersonaSerializer(persona, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            persona = services.persona_update(
                persona=persona,
                name=fields.get("name", persona.name),
                description=fields.get("description", persona.description),
                is_default=fields.get("is_default"),
            )
        except services.ChatError as exc:
            return _chat_error(exc)
        return Response(PersonaSerializer(persona).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        persona = selectors.persona_get_for_user(pk=pk, user=request.user)
        services.persona_delete(persona=persona)
        return Response(status=204)
