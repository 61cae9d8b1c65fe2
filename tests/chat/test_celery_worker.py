"""Integration: a real Celery worker process generates the reply and streams it
through the Redis channel layer to the socket."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings

from chat.models import Alternative, Conversation
from community.models import User
from tests.chat.wsutil import Transcript, connect, is_final_update, read_until
from tests.helpers import ROOT

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(test_database_url: str, settings: Any) -> Iterator[subprocess.Popen[str]]:
    settings.CHAT_GENERATION_MODE = "celery"
    # The Redis layer (channels-redis, or config.channel_layers' subclass of it).
    assert "RedisChannelLayer" in django_settings.CHANNEL_LAYERS["default"]["BACKEND"]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=test_database_url,
        REDIS_URL=django_settings.REDIS_URL,
        CHANNELS_PREFIX=os.environ["CHANNELS_PREFIX"],
        CACHE_PREFIX=os.environ["CACHE_PREFIX"],
        LLM_OFFLINE_WORD_DELAY="0.01",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "-Q", "default,priority", "-l", "warning", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


async def test_reply_generated_by_a_celery_worker_streams_over_redis(
    user: User, conversation: Conversation, worker: subprocess.Popen[str]
) -> None:
    comm, ok, _ = await connect(user, conversation.pk)
    assert ok
    await comm.send_json_to(
        {"type": "message.send", "client_id": "w", "text": "Do you like the sea?"}
    )
    try:
        frames = await read_until(comm, is_final_update, timeout=60)
    except TimeoutError:
        worker.terminate()
        out = worker.communicate(timeout=10)[0]
        raise AssertionError(f"no reply from the worker; its output:\n{out}") from None
    transcript = Transcript.of(frames)
    reply_id = frames[-1]["message"]["id"]
    assert any(f["type"] == "reply.delta" for f in frames)
    alt = await database_sync_to_async(Alternative.objects.get)(message_id=reply_id)
    assert alt.status == "complete"
    assert "born on a ship" in alt.text
    assert transcript.text[(reply_id, 0)] == alt.text
    await comm.disconnect()
