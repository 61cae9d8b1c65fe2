"""Characters routes under /api/v1/."""

from django.urls import path

from characters import api, api_cards

urlpatterns = [
    path("characters/", api.CharacterListView.as_view(), name="character-list"),
    # Before "characters/<slug>/", or "import" would be taken for a slug.
    path(
        "characters/import/",
        api_cards.CardImportView.as_view(),
        name="character-import",
    ),
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
    path(
        "characters/<slug:slug>/export/",
        api_cards.CardExportView.as_view(),
        name="character-export",
    ),
]
