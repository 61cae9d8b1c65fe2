from django.urls import URLPattern, path

from chat.consumers import ConversationConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/conversations/<int:pk>/", ConversationConsumer.as_asgi()),
]
