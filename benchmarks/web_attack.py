"""The web chat under attack, with the default limits, on the real TinyDB store over loopback:
a message flood into one conversation, a staff-token guessing run, new conversations without
end, and requests without the customer token or from a foreign site; meanwhile another
customer is served. Prints the statuses each attack got.

    python -m benchmarks.web_attack
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.adapters.web import create_app, mark_ready
from bot.clock import SystemClock
from bot.config import Settings
from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.storage import open_store
from bot.wiring import build_bot

DATA = Path(__file__).parent.parent / "data"
PROXY = "127.0.0.1"  # the benchmark's clients come "through" it, each with its own address


async def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        runner, base, staff_token = await _serve(Path(root))
        try:
            async with aiohttp.ClientSession() as session:
                await _attacks(session, base, staff_token)
        finally:
            await runner.cleanup()


async def _serve(root: Path) -> tuple[web.AppRunner, str, str]:
    store = await open_store(root / "db")
    departments = load_departments(DATA)
    kb = await LiveKnowledgeBase.open(DATA / "kb", frozenset(departments))
    settings = Settings(trusted_proxies=(PROXY,))
    bot = build_bot(settings, store, SystemClock(), kb=kb, departments=departments)
    staff_token = await bot.services.staff.add("sam", "Sam Staff")
    app = create_app(bot)
    mark_ready(app)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}", staff_token


async def _attacks(session: aiohttp.ClientSession, base: str, staff_token: str) -> None:
    bystander = await _start(session, base, "10.0.0.2", "Hello, where is my parcel?")
    flooder = await _start(session, base, "10.0.0.1", "hi")
    flood = await _flood(session, base, flooder, 400)
    print(_line("flood: 400 messages into one conversation, one client", flood))
    print(
        _line("  meanwhile another customer, 5 messages", await _flood(session, base, bystander, 5))
    )
    guesses = await _guess_staff_tokens(session, base, 3000)
    print(_line("token guessing: 3,000 wrong staff tokens, one address", guesses))
    right = await _staff_me(session, base, staff_token, "10.0.0.3")
    print(_line("  then the right token from that address", right))
    other = await _staff_me(session, base, staff_token, "10.0.0.6")
    print(_line("  and the right token from another address", other))
    starts = await _new_conversations(session, base, 200)
    print(_line("new conversations: 200 from one address", starts))
    print(
        _line(
            "no customer token: read, write, click, WebSocket",
            await _tokenless(session, base, bystander),
        )
    )
    print(
        _line(
            "foreign Origin with the token: write, WebSocket",
            await _foreign(session, base, bystander),
        )
    )


async def _start(
    session: aiohttp.ClientSession, base: str, address: str, text: str
) -> dict[str, Any]:
    body = {"user": {"id": f"u-{address}", "name": "Robin"}, "text": text}
    async with session.post(f"{base}/api/chat", json=body, headers=_via(address)) as response:
        started: dict[str, Any] = await response.json()
    started["address"] = address
    session.cookie_jar.clear()  # each client shows its token itself
    return started


async def _flood(
    session: aiohttp.ClientSession, base: str, chat: dict[str, Any], count: int
) -> tuple[Counter[int], float]:
    headers = _via(chat["address"]) | {"Authorization": f"Bearer {chat['customer_token']}"}
    body = {"user": {"id": f"u-{chat['address']}"}, "conversation": chat["conversation"]}
    statuses: Counter[int] = Counter()
    began = time.perf_counter()
    for number in range(count):
        said = body | {"text": f"message {number}"}
        async with session.post(f"{base}/api/chat", json=said, headers=headers) as response:
            statuses[response.status] += 1
    return statuses, time.perf_counter() - began


async def _guess_staff_tokens(
    session: aiohttp.ClientSession, base: str, count: int
) -> tuple[Counter[int], float]:
    statuses: Counter[int] = Counter()
    began = time.perf_counter()
    for number in range(count):
        headers = _via("10.0.0.3") | {"Authorization": f"Bearer guess-{number:06d}"}
        async with session.get(f"{base}/api/staff/me", headers=headers) as response:
            statuses[response.status] += 1
    return statuses, time.perf_counter() - began


async def _staff_me(
    session: aiohttp.ClientSession, base: str, token: str, address: str
) -> tuple[Counter[int], float]:
    headers = _via(address) | {"Authorization": f"Bearer {token}"}
    async with session.get(f"{base}/api/staff/me", headers=headers) as response:
        return Counter([response.status]), 0.0


async def _new_conversations(
    session: aiohttp.ClientSession, base: str, count: int
) -> tuple[Counter[int], float]:
    statuses: Counter[int] = Counter()
    began = time.perf_counter()
    for number in range(count):
        body = {"user": {"id": f"u-new-{number}"}, "text": "hello"}
        async with session.post(f"{base}/api/chat", json=body, headers=_via("10.0.0.4")) as r:
            statuses[r.status] += 1
    session.cookie_jar.clear()
    return statuses, time.perf_counter() - began


async def _tokenless(
    session: aiohttp.ClientSession, base: str, chat: dict[str, Any]
) -> tuple[Counter[int], float]:
    conversation, headers = chat["conversation"], _via("10.0.0.5")
    user = {"id": f"u-{chat['address']}"}
    said = {"user": user, "conversation": conversation, "text": "show me"}
    click = {"user": user, "conversation": conversation, "action": "solved_yes", "value": "x"}
    statuses: Counter[int] = Counter()
    async with session.get(f"{base}/api/chat/{conversation}/messages", headers=headers) as r:
        statuses[r.status] += 1
    for path, body in (("/api/chat", said), ("/api/chat/action", click)):
        async with session.post(base + path, json=body, headers=headers) as r:
            statuses[r.status] += 1
    statuses[await _socket_status(session, f"{base}/api/chat/{conversation}/ws", headers)] += 1
    return statuses, 0.0


async def _foreign(
    session: aiohttp.ClientSession, base: str, chat: dict[str, Any]
) -> tuple[Counter[int], float]:
    token, conversation = chat["customer_token"], chat["conversation"]
    headers = _via(chat["address"]) | {
        "Authorization": f"Bearer {token}",
        "Origin": "https://evil.example",
    }
    said = {"user": {"id": f"u-{chat['address']}"}, "conversation": conversation, "text": "x"}
    statuses: Counter[int] = Counter()
    async with session.post(f"{base}/api/chat", json=said, headers=headers) as r:
        statuses[r.status] += 1
    statuses[await _socket_status(session, f"{base}/api/chat/{conversation}/ws", headers)] += 1
    return statuses, 0.0


async def _socket_status(session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> int:
    try:
        socket = await session.ws_connect(url, headers=headers)
    except aiohttp.WSServerHandshakeError as refused:
        return refused.status
    await socket.close()
    return 101


def _via(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _line(what: str, measured: tuple[Counter[int], float]) -> str:
    statuses, seconds = measured
    shown = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
    timing = f" in {seconds:.1f} s" if seconds else ""
    return f"{what}: {shown}{timing}"


if __name__ == "__main__":
    asyncio.run(main())
