"""Chat streaming speed, loopback only, bounded in count and time.

A local OpenAI-compatible server streams 200 tokens as fast as it can. Against
one daphne process (``bench/asgi.py``: the project plus a bare relay consumer)
this measures, for Kindred's pipeline (consumer → service → generation thread →
PostgreSQL → Redis channel layer → consumer) and for a bare Channels consumer
relaying the same stream straight to its socket:

(a) delay from a client's send to the first delta at the client, p50/p99
    (of ``--runs`` turns per side, 200 by default: of 40, the p99 was simply
    the slowest turn, and one hiccup of a shared machine decided it);
(b) server CPU time per streamed token (daphne process, all threads);
(c) 200 conversations streaming at once: no text lost or duplicated.

For (a) and (b) the two sides alternate in blocks of five turns (the machine
may be shared); (c) runs one side, then the other.

Generation runs in the server's background threads (CHAT_GENERATION_MODE=thread)
so both sides run in one measured process; with Celery workers the queue hop
adds the broker's latency and moves the CPU to the workers.

Needs PostgreSQL and Redis: DATABASE_URL=... REDIS_URL=... python bench/chat.py
Results: bench/results/chat.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKENS = [f"tok{i}" for i in range(200)]
BLOCK = 5  # sequential turns per side before the other side takes over
EXPECTED = " ".join(TOKENS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _one_turn(
    ws: Any, frame: dict[str, Any], *, wait_done: bool = True
) -> tuple[float, str]:
    """Send, return (seconds to first delta, streamed text), checking contiguity."""
    started = time.perf_counter()
    await ws.send(json.dumps(frame))
    first: float | None = None
    text = ""
    while True:
        msg = json.loads(await ws.recv())
        if msg["type"] == "reply.delta":
            if first is None:
                first = time.perf_counter() - started
            if msg["offset"] != len(text):
                raise AssertionError(
                    f"gap or overlap at {msg['offset']} (have {len(text)})"
                )
            text += msg["text"]
        elif msg["type"] == "reply.done":
            if msg["status"] != "complete":
                raise AssertionError(f"reply {msg['status']}: {msg.get('error')}")
            return first or 0.0, text
        elif msg["type"] == "error":
            raise AssertionError(msg)


async def _connect(url: str, token: str) -> Any:
    from websockets.asyncio.client import connect

    return await connect(
        url,
        additional_headers=[("Authorization", f"Bearer {token}")],
        max_size=None,
        open_timeout=30,
    )


async def measure(
    base: str, pid: int, token: str, conv_ids: list[int], runs: int, concurrency: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def kindred_url(i: int) -> str:
        return f"{base}/ws/conversations/{conv_ids[i]}/"

    def kindred_frame(n: int) -> dict[str, Any]:
        return {
            "type": "message.send",
            "client_id": f"b{time.time_ns()}-{n}",
            "text": "Hello",
        }

    def bare_url(i: int) -> str:
        return f"{base}/ws/bare/"

    def bare_frame(n: int) -> dict[str, Any]:
        return {"text": "Hello"}

    sides: list[tuple[str, Callable[[int], str], Callable[[int], dict[str, Any]]]] = [
        ("kindred", kindred_url, kindred_frame),
        ("bare_consumer", bare_url, bare_frame),
    ]
    # (a) + (b): sequential turns, one socket per side. The sides take turns in
    # blocks of BLOCK turns, so load from other processes on a shared machine
    # falls on both alike (measured one side after the other, a busy quarter
    # minute on one side alone moved the CPU ratio by a third).
    delays: dict[str, list[float]] = {name: [] for name, _, _ in sides}
    cpu: dict[str, float] = {name: 0.0 for name, _, _ in sides}
    socks = {}
    for name, url_for, frame_for in sides:
        socks[name] = await _connect(url_for(0), token)
        await _one_turn(socks[name], frame_for(-1))  # warm-up (imports, connections)
    for first in range(0, runs, BLOCK):
        for name, _, frame_for in sides:
            cpu0 = _cpu_seconds(pid)
            for n in range(first, min(runs, first + BLOCK)):
                delay, text = await _one_turn(socks[name], frame_for(n))
                assert text == EXPECTED, "text lost or duplicated"
                delays[name].append(delay)
            cpu[name] += _cpu_seconds(pid) - cpu0
    for ws in socks.values():
        await ws.close()
    for name, url_for, frame_for in sides:
        # (c): many conversations at once.
        sockets = [await _connect(url_for(1 + i), token) for i in range(concurrency)]
        cpu1 = _cpu_seconds(pid)
        t0 = time.perf_counter()
        results = await asyncio.gather(
            *(_one_turn(s, frame_for(1000 + i)) for i, s in enumerate(sockets)),
            return_exceptions=True,
        )
        wall = time.perf_counter() - t0
        cpu_c = _cpu_seconds(pid) - cpu1
        for s in sockets:
            await s.close()
        ok = sum(
            1 for r in results if not isinstance(r, BaseException) and r[1] == EXPECTED
        )
        errors = [repr(r) for r in results if isinstance(r, BaseException)][:3]
        firsts = [r[0] for r in results if not isinstance(r, BaseException)]
        out[name] = {
            "first_delta_ms_p50": round(_pct(delays[name], 0.5) * 1000, 2),
            "first_delta_ms_p99": round(_pct(delays[name], 0.99) * 1000, 2),
            "first_delta_ms_mean": round(statistics.fmean(delays[name]) * 1000, 2),
            "cpu_us_per_token": round(cpu[name] / (runs * len(TOKENS)) * 1e6, 1),
            "concurrent": {
                "conversations": concurrency,
                "complete_and_exact": ok,
                "lost_or_duplicated": concurrency - ok,
                "errors": errors,
                "wall_s": round(wall, 2),
                "first_delta_ms_p50": round(_pct(firsts, 0.5) * 1000, 1)
                if firsts
                else None,
                "first_delta_ms_p99": round(_pct(firsts, 0.99) * 1000, 1)
                if firsts
                else None,
                "cpu_us_per_token": round(cpu_c / (concurrency * len(TOKENS)) * 1e6, 1),
            },
        }
    return out


def _setup(n: int) -> tuple[str, list[int]]:
    import django

    django.setup()
    from characters.definition import definition_empty
    from characters.services import character_create
    from chat.services import conversation_start
    from community.models import User
    from community.services import token_create, user_create

    def account(email: str, handle: str, name: str) -> User:
        found = User.objects.filter(email=email).first()
        return found or user_create(
            email=email, password=secrets.token_urlsafe(16), handle=handle,
            display_name=name, email_verified=True,
        )  # fmt: skip

    user = account("bench@example.com", "benchuser", "Bench")
    # A heavy chatter, as Pro: a free plan's quota counts stop at its limits
    # (100 a day by default), while the bench sends thousands of messages a
    # day on one account.
    from billing.entitlements import entitlements_for
    from billing.services import pro_grant

    if entitlements_for(user).plan != "pro":
        staff = account("bench-staff@example.com", "benchstaff", "Bench staff")
        User.objects.filter(pk=staff.pk).update(is_staff=True)
        staff.is_staff = True
        pro_grant(user=user, by=staff, reason="bench/chat.py: a heavy chatter")
    data = definition_empty("Bench Bot")
    data["first_mes"] = "Hi."
    character = character_create(owner=user, data=data, publish=True)
    ids = [conversation_start(user=user, character=character).pk for _ in range(n)]
    return token_create(user=user, name="bench").secret, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs",
        type=int,
        default=200,
        help="sequential turns per side for (a) and (b)",
    )
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument(
        "--timeout", type=float, default=300, help="seconds for the whole bench"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL) and REDIS_URL: the bench runs the production stack."
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    env = dict(os.environ)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    from tests.chat.llm_server import LLMServer

    token, ids = _setup(args.concurrency + 1)
    # Every turn updates its conversation (and the reply's rows); runs add up
    # in this database, and autovacuum is off on our machines (it is on by
    # default, as production must run it): clean up what earlier runs left.
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    with LLMServer(words=TOKENS, word_delay=0.0) as llm:
        port = _free_port()
        env.update(
            LLM_BASE_URL=llm.base_url, LLM_MODEL="normal", LLM_API_KEY="bench", LLM_RETRIES="0",
            CHAT_GENERATION_MODE="thread", FREE_MESSAGES_PER_MINUTE="1000000",
            FREE_DAILY_MESSAGES="1000000000", LOG_LEVEL="WARNING",
        )  # fmt: skip
        # The server's stderr goes to bench/results/chat-server.log for post-mortems.
        log = (ROOT / "bench" / "results" / "chat-server.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "bench.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            started = time.perf_counter()
            result = asyncio.run(
                asyncio.wait_for(
                    measure(
                        f"ws://127.0.0.1:{port}",
                        server.pid,
                        token,
                        ids,
                        args.runs,
                        args.concurrency,
                    ),
                    timeout=args.timeout,
                )
            )
        finally:
            server.terminate()
            server.wait(timeout=15)
            log.close()
    k, b = result["kindred"], result["bare_consumer"]
    summary = {
        "added_first_delta_ms_p50": round(
            k["first_delta_ms_p50"] - b["first_delta_ms_p50"], 2
        ),
        "added_first_delta_ms_p99": round(
            k["first_delta_ms_p99"] - b["first_delta_ms_p99"], 2
        ),
        "cpu_per_token_ratio": round(k["cpu_us_per_token"] / b["cpu_us_per_token"], 2),
        "targets": {"added_p99_ms_max": 10, "cpu_ratio_max": 2},
    }
    report = {
        "bench": "chat", "tokens_per_reply": len(TOKENS), "runs": args.runs,
        "generation_mode": "thread", "seconds": round(time.perf_counter() - started, 1),
        **result, "summary": summary,
    }  # fmt: skip
    out = ROOT / "bench" / "results" / "chat.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'':34}{'Kindred':>12}{'bare':>12}")
    print(
        f"{'(a) send→first delta p50 (ms)':34}{k['first_delta_ms_p50']:>12}{b['first_delta_ms_p50']:>12}"
    )
    print(
        f"{'(a) send→first delta p99 (ms)':34}{k['first_delta_ms_p99']:>12}{b['first_delta_ms_p99']:>12}"
    )
    print(
        f"{'(b) CPU per token (µs)':34}{k['cpu_us_per_token']:>12}{b['cpu_us_per_token']:>12}"
    )
    kc, bc = k["concurrent"], b["concurrent"]
    print(
        f"{'(c) 200 at once: exact replies':34}{kc['complete_and_exact']:>12}{bc['complete_and_exact']:>12}"
    )
    print(f"{'(c) 200 at once: wall (s)':34}{kc['wall_s']:>12}{bc['wall_s']:>12}")
    print(
        f"{'(c) 200 at once: CPU/token (µs)':34}{kc['cpu_us_per_token']:>12}{bc['cpu_us_per_token']:>12}"
    )
    print(
        f"added p50 {summary['added_first_delta_ms_p50']} ms, p99 {summary['added_first_delta_ms_p99']} ms; CPU ratio {summary['cpu_per_token_ratio']}"
    )
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
