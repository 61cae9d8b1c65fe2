"""Helpers for socket tests: connect as a user, read frames until a condition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from community.models import User
from config.asgi import application
from tests.chat.conftest import session_cookie

Frame = dict[str, Any]


async def connect(
    user: User | None, conversation_id: int, *, origin: bytes = b"http://localhost"
) -> tuple[WebsocketCommunicator, bool, int | None]:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie))
    comm = WebsocketCommunicator(
        application, f"/ws/conversations/{conversation_id}/", headers=headers
    )
    connected, code = await comm.connect(timeout=5)
    return comm, connected, code


async def read_until(
    comm: WebsocketCommunicator, stop: Callable[[Frame], bool], timeout: float = 15
) -> list[Frame]:
    frames: list[Frame] = []
    while True:
        frame = await comm.receive_json_from(timeout=timeout)
        frames.append(frame)
        if stop(frame):
            return frames


def is_final_update(frame: Frame, message_id: int | None = None) -> bool:
    """The ``message.updated`` that follows ``reply.done`` (a finished reply)."""
    if frame["type"] != "message.updated":
        return False
    message = frame["message"]
    if message["author"] != "character":
        return False
    if message_id is not None and message["id"] != message_id:
        return False
    selected = message["alternatives"][message["selected"]]
    return selected["status"] in ("complete", "failed", "stopped")


class Transcript:
    """Rebuilds reply text from frames the way a client does, checking that
    every delta starts exactly where the text so far ends (no gap, no overlap)."""

    def __init__(self) -> None:
        self.text: dict[tuple[int, int], str] = {}

    @classmethod
    def of(cls, frames: list[Frame]) -> Transcript:
        """A transcript fed ``frames`` in order."""
        transcript = cls()
        for frame in frames:
            transcript.feed(frame)
        return transcript

    def feed(self, frame: Frame) -> None:
        if frame["type"] in ("message.created", "message.updated"):
            message = frame["message"]
            for alt in message["alternatives"]:
                key = (message["id"], alt["index"])
                have = self.text.get(key, "")
                # A snapshot never takes text back.
                assert alt["text"].startswith(have) or alt["status"] not in (
                    "pending",
                    "streaming",
                ), (have, alt["text"])
                self.text[key] = alt["text"]
        elif frame["type"] == "reply.delta":
            key = (frame["message_id"], frame["index"])
            have = self.text.get(key, "")
            assert frame["offset"] == len(have), (frame, len(have))
            self.text[key] = have + frame["text"]
