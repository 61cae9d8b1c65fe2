"""The quick start (SQLite, in-memory channel layer, eager Celery, no workers):
a reply is generated in the background of the server process and streams."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT, run_django, run_manage

SETUP = """
from characters.definition import definition_empty
from characters.services import character_create
from chat.services import conversation_start
from community.services import token_create, user_create
u = user_create(email="q@example.com", password="quick-start-pass-1", handle="quick", display_name="Quick", email_verified=True)
d = definition_empty("Mira")
d.update(first_mes="Hello {{user}}.", mes_example="<START>\\n{{user}}: Do you like the sea?\\n{{char}}: Born on a ship.")
c = character_create(owner=u, data=d, publish=True)
conv = conversation_start(user=u, character=c)
print(conv.pk, token_create(user=u, name="t").secret)
"""


def test_quick_start_generates_in_the_server_process(tmp_path: Path) -> None:
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LLM_OFFLINE_WORD_DELAY": "0.01",
    }
    assert run_manage("migrate", "--noinput", "-v0", env=env).returncode == 0
    setup = run_django(SETUP, env)
    assert setup.returncode == 0, setup.stderr
    conv_id, secret = setup.stdout.split()[-2:]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    full_env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    full_env.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)

        async def chat() -> tuple[list[str], str]:
            from websockets.asyncio.client import connect

            async with connect(
                f"ws://127.0.0.1:{port}/ws/conversations/{conv_id}/",
                additional_headers=[("Authorization", f"Bearer {secret}")],
            ) as ws:
                await ws.send(
                    json.dumps(
                        {
                            "type": "message.send",
                            "client_id": "q",
                            "text": "Do you like the sea?",
                        }
                    )
                )
                types: list[str] = []
                text = ""
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 20))
                    types.append(frame["type"])
                    if frame["type"] == "reply.delta":
                        text += frame["text"]
                    if frame["type"] == "reply.done":
                        assert frame["status"] == "complete"
                        return types, text

        types, text = asyncio.run(chat())
        assert types.count("message.created") == 2
        assert "reply.delta" in types
        assert text == "Born on a ship."
    finally:
        server.terminate()
        server.wait(timeout=15)
