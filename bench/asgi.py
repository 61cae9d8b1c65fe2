"""The project's ASGI app plus a *bare* Channels consumer for bench/chat.py:
it relays the same LLM stream straight to its socket — no database, no channel
layer, no batching — the floor our consumer and pipeline are compared with."""

from __future__ import annotations

import asyncio
import json
import threading

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

from chat.llm import ChatMessage, Delta, OfflineContext
from chat.llm.openai_compat import OpenAICompatibleProvider
from config.asgi import application as project_application  # sets up Django

_CTX = OfflineContext(
    char_name="C", user_name="U", greeting="", description="", personality=""
)


class BareRelay(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        frame = json.loads(text_data or "{}")
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        messages: list[ChatMessage] = [
            {"role": "user", "content": str(frame.get("text", ""))}
        ]

        def pump() -> None:
            provider = OpenAICompatibleProvider.from_settings()
            try:
                for item in provider.stream(messages, offline=_CTX):
                    if isinstance(item, Delta):
                        loop.call_soon_threadsafe(queue.put_nowait, item.text)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, None)

        threading.Thread(target=pump, daemon=True).start()
        offset = 0
        while (text := await queue.get()) is not None:
            await self.send(
                json.dumps(
                    {
                        "type": "reply.delta",
                        "message_id": 0,
                        "index": 0,
                        "offset": offset,
                        "text": text,
                    }
                )
            )
            offset += len(text)
        await self.send(
            json.dumps(
                {
                    "type": "reply.done",
                    "message_id": 0,
                    "index": 0,
                    "status": "complete",
                }
            )
        )


async def _websocket(scope, receive, send):
    if scope["path"].startswith("/ws/bare/"):
        return await URLRouter([path("ws/bare/", BareRelay.as_asgi())])(
            scope, receive, send
        )
    return await project_application(scope, receive, send)


application = ProtocolTypeRouter({"http": project_application, "websocket": _websocket})
