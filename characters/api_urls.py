"""Characters routes under /api/v1/."""

from django.urls import path

from characters import api

urlpatterns = [
    path("characters/", api.CharacterListView.as_view(), name="character-list"),
    path(
        "characters/<slug:slug>/",
        api.CharacterDetailView.as_view(),
        name="character-detail",
    ),
    path(
        "characters/<slug:slug>/remix/",
        api.CharacterRemixView.as_view(),
        name="character-remix",
    ),
    path(
        "characters/<slug:slug>/versions/",
        api.CharacterVersionsView.as_view(),
        name="character-versions",
    ),
]
