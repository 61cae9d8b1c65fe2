"""This app's routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from chat import api

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "conversations/", api.ConversationListView.as_view(), name="conversation-list"
    ),
    path(
        "conversations/<int:pk>/",
        api.ConversationDetailView.as_view(),
        name="conversation-detail",
    ),
    path(
        "conversations/<int:pk>/messages/",
        api.MessageListView.as_view(),
        name="conversation-messages",
    ),
    path("personas/", api.PersonaListView.as_view(), name="persona-list"),
    path("personas/<int:pk>/", api.PersonaDetailView.as_view(), name="persona-detail"),
]
