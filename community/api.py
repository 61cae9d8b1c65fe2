from __future__ import annotations

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import Profile
from community.services import profile_ensure


class ProfileSerializer(serializers.ModelSerializer[Profile]):
    class Meta:
        model = Profile
        fields = ["handle", "display_name", "bio", "avatar"]


class MeView(APIView):
    """The authenticated user's own profile."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProfileSerializer

    def get(self, request: Request) -> Response:
        profile = profile_ensure(user=request.user)  # type: ignore[arg-type]  # IsAuthenticated: a User
        return Response(ProfileSerializer(profile).data)
