from django.urls import path

from characters import views

app_name = "characters"

urlpatterns = [
    path("discover/", views.discover, name="discover"),
    path("create/", views.create, name="create"),
    path("create/greeting-preview/", views.greeting_preview, name="greeting_preview"),
    path("studio/", views.studio, name="studio"),
    path("c/<slug:slug>/", views.detail, name="detail"),
    path("c/<slug:slug>/edit/", views.edit, name="edit"),
    path("c/<slug:slug>/versions/", views.versions, name="versions"),
    path(
        "c/<slug:slug>/versions/<int:number>/rollback/", views.rollback, name="rollback"
    ),
    path("c/<slug:slug>/remix/", views.remix, name="remix"),
    path("c/<slug:slug>/delete/", views.delete, name="delete"),
]
