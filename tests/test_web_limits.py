"""Flood limits on the web API (issue 13, item 3): a flood from one client and a token-guessing
run get 429 with Retry-After before anything is stored, while other customers are served."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import ConfigError, Settings
from bot.core import Bot
from bot.limits import Buckets, Rate
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.conftest import ClientMaker
from tests.fakes import FakeClock

Rig = tuple[TestClient, Bot]  # type: ignore[type-arg]


async def _rig(aiohttp_client: ClientMaker, **limits: Any) -> Rig:
    bot = build_bot(Settings(**limits), MemoryStore(), FakeClock())
    app = create_app(bot)
    mark_ready(app)
    return await aiohttp_client(app), bot


async def _say(client: TestClient, conversation: str | None, text: str, who: str = "u-1") -> Any:  # type: ignore[type-arg]
    body: dict[str, Any] = {"user": {"id": who, "name": "Flo"}, "text": text}
    if conversation:
        body["conversation"] = conversation
    return await client.post("/api/chat", json=body)


async def test_a_flood_into_one_conversation_is_refused_before_it_is_stored(
    aiohttp_client: ClientMaker,
) -> None:
    client, bot = await _rig(aiohttp_client, limit_conversation=Rate(4, 1))
    first = await (await _say(client, None, "hello")).json()
    conversation = first["conversation"]
    for n in range(4):  # the first message started it; four more fit the conversation's burst
        assert (await _say(client, conversation, f"line {n}")).status == 200
    stored = len(await bot.services.transcript.after(f"web:{conversation}", 0))
    refused = await _say(client, conversation, "one too many")
    assert refused.status == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert "a little fast" in (await refused.json())["error"]
    assert len(await bot.services.transcript.after(f"web:{conversation}", 0)) == stored
    other = await _say(client, None, "Hi, a different customer here", who="u-2")
    assert other.status == 200  # someone else's conversation is served normally


async def test_new_conversations_per_address_are_limited(aiohttp_client: ClientMaker) -> None:
    client, bot = await _rig(aiohttp_client, limit_new_conversations=Rate(3, 1))
    for n in range(3):
        assert (await _say(client, None, "hello", who=f"u-{n}")).status == 200
    refused = await _say(client, None, "hello", who="u-9")
    assert refused.status == 429
    assert len(await bot.services.store.find("conversations")) == 3


async def test_token_guessing_is_slowed_to_429_then_even_the_right_token_waits(
    aiohttp_client: ClientMaker,
) -> None:
    client, bot = await _rig(aiohttp_client, limit_staff_logins=Rate(3, 1))
    token = await bot.services.staff.add("sam", "Sam Staff")
    for n in range(3):
        wrong = await client.get("/api/staff/me", headers={"Authorization": f"Bearer guess{n}"})
        assert wrong.status == 401
    blocked = await client.get("/api/staff/me", headers={"Authorization": f"Bearer {token}"})
    assert blocked.status == 429
    assert int(blocked.headers["Retry-After"]) >= 1


async def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(
    aiohttp_client: ClientMaker,
) -> None:
    spoofed = {"X-Forwarded-For": "203.0.113.7"}
    client, _ = await _rig(aiohttp_client, limit_new_conversations=Rate(1, 1))
    assert (await client.post("/api/chat", json={"user": {"id": "a"}, "text": "hi"})).status == 200
    again = await client.post(
        "/api/chat", json={"user": {"id": "b"}, "text": "hi"}, headers=spoofed
    )
    assert again.status == 429  # the peer is not a trusted proxy: its header is ignored

    proxied, _ = await _rig(
        aiohttp_client, limit_new_conversations=Rate(1, 1), trusted_proxies=("127.0.0.1",)
    )
    for address in ("203.0.113.7", "203.0.113.8"):
        sent = await proxied.post(
            "/api/chat",
            json={"user": {"id": address}, "text": "hi"},
            headers={"X-Forwarded-For": f"10.9.9.9, {address}"},
        )
        assert sent.status == 200  # two clients behind the proxy, one conversation each
    third = await proxied.post(
        "/api/chat",
        json={"user": {"id": "c"}, "text": "hi"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert third.status == 429


def test_a_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = Buckets(Rate(2, 60), clock=lambda: now[0])
    assert buckets.take("k") == buckets.take("k") == 0
    assert buckets.take("k") == 1  # one a second: back in a second
    now[0] += 1.0
    assert buckets.take("k") == 0
    assert Buckets(Rate(0, 0)).take("k") == 0  # no limit


@pytest.mark.parametrize("raw", ["20", "x/y", "0/5", "5/0", "-1/3", "1000000/1"])
def test_a_malformed_limit_is_a_configuration_error(raw: str) -> None:
    with pytest.raises(ConfigError, match="SUPPORTBOT_LIMIT_CONVERSATION must be"):
        Settings.from_env({"SUPPORTBOT_LIMIT_CONVERSATION": raw})


def test_limits_and_proxies_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {"SUPPORTBOT_LIMIT_ADDRESS": "0", "SUPPORTBOT_TRUSTED_PROXIES": "10.0.0.1, ::1"}
    )
    assert settings.limit_address.off
    assert settings.trusted_proxies == ("10.0.0.1", "::1")
    with pytest.raises(ConfigError, match="IP addresses"):
        Settings.from_env({"SUPPORTBOT_TRUSTED_PROXIES": "proxy.local"})
