from django.urls import URLPattern, URLResolver, path

from chat import views

app_name = "chat"

urlpatterns: list[URLPattern | URLResolver] = [
    path("chats/", views.chat_list, name="list"),
    path("chats/new/<slug:slug>/", views.chat_start, name="start"),
    path("chats/personas/", views.persona_list, name="personas"),
    path("chats/personas/<int:pk>/", views.persona_edit, name="persona_edit"),
    path(
        "chats/personas/<int:pk>/delete/", views.persona_delete, name="persona_delete"
    ),
    path("chats/<int:pk>/", views.chat_detail, name="detail"),
    path("chats/<int:pk>/rename/", views.chat_rename, name="rename"),
    path("chats/<int:pk>/persona/", views.chat_persona, name="persona"),
    path("chats/<int:pk>/delete/", views.chat_delete, name="delete"),
]
