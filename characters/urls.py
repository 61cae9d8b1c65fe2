from django.urls import URLPattern, URLResolver, path, re_path

from characters import views_cards

app_name = "characters"

urlpatterns: list[URLPattern | URLResolver] = [
    # Card import/export (characters/views_cards.py): before any "create/<...>"
    # or "c/<slug>/..." catch-all.
    path("create/import/", views_cards.card_import, name="import"),
    re_path(
        r"^c/(?P<slug>[-a-zA-Z0-9_]+)/card\.(?P<fmt>png|v2|v3)$",
        views_cards.card_export,
        name="export",
    ),
]
