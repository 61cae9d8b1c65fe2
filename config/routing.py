"""Websocket routes of every app, in one list."""

from django.urls import path

from community.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
