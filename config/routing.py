"""Websocket routes of every app, in one list."""

from django.urls import path

from chat.routing import websocket_urlpatterns as chat_routes
from community.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    *chat_routes,
]
