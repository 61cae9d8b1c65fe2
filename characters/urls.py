from django.urls import path, re_path

from characters import views, views_cards

app_name = "characters"

urlpatterns = [
    path("discover/", views.discover, name="discover"),
    path("create/", views.create, name="create"),
    path("create/import/", views_cards.card_import, name="import"),
    path("create/greeting-preview/", views.greeting_preview, name="greeting_preview"),
    path("studio/", views.studio, name="studio"),
    re_path(
        r"^c/(?P<slug>[-a-zA-Z0-9_]+)/card\.(?P<fmt>png|v2|v3)$",
        views_cards.card_export,
        name="export",
    ),
    path("c/<slug:slug>/", views.detail, name="detail"),
    path("c/<slug:slug>/edit/", views.edit, name="edit"),
    path("c/<slug:slug>/versions/", views.versions, name="versions"),
    path(
        "c/<slug:slug>/versions/<int:number>/rollback/", views.rollback, name="rollback"
    ),
    path("c/<slug:slug>/remix/", views.remix, name="remix"),
    path("c/<slug:slug>/delete/", views.delete, name="delete"),
]
