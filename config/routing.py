"""Websocket routes of every app, in one list."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path, re_path

from chat.routing import websocket_urlpatterns as chat_routes
from community.consumers import NotificationConsumer

CLOSE_NOT_FOUND = 4404


class NoSuchSocket(AsyncWebsocketConsumer):
    """Any other path (``/ws/nothing/``, ``/ws/conversations/abc/``): accepted,
    then closed 4404, as a conversation that does not exist. Without it the
    router raised, and the handshake was an HTTP 500."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(code=CLOSE_NOT_FOUND)


websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    *chat_routes,
    re_path(r"", NoSuchSocket.as_asgi()),
]
