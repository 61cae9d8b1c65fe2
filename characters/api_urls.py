"""This app's routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from characters import api_cards

urlpatterns: list[URLPattern | URLResolver] = [
    # Card import/export: before any "characters/<slug>/" route, or "import"
    # would be taken for a slug.
    path(
        "characters/import/",
        api_cards.CardImportView.as_view(),
        name="character-import",
    ),
    path(
        "characters/<slug:slug>/export/",
        api_cards.CardExportView.as_view(),
        name="character-export",
    ),
]
