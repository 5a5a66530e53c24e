"""Two real `supportbot run` processes on one PostgreSQL database (issue 14): whichever
process a request reaches, customers and staff see one bot."""

from __future__ import annotations

import asyncio
import re
import time
import urllib.error
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from tests.discord_fake import CUSTOMER as DISCORD_CUSTOMER
from tests.discord_fake import serve as serve_discord
from tests.discord_fake import wait_until
from tests.live import LiveBot, call, live_bot
from tests.postgres_db import fresh_database
from tests.slack_fake import SlackFake, event_body, post_signed
from tests.slack_rig import SECRET


@asynccontextmanager
async def two_bots(
    workdir: Path, url: str, more: dict[str, str] | None = None
) -> AsyncIterator[tuple[LiveBot, LiveBot]]:
    """Started one after the other (they share the demo staff login's token file), and
    started and stopped off the event loop, which serves the fakes they talk to."""
    settings = {"SUPPORTBOT_DATABASE_URL": url, "SUPPORTBOT_QUIET_WINDOW_SECONDS": "0"}
    for limit in ("CONVERSATION", "ADDRESS", "NEW_CONVERSATIONS"):  # storms, not floods, here
        settings[f"SUPPORTBOT_LIMIT_{limit}"] = "0"
    settings |= more or {}
    with ExitStack() as stack:

        def start() -> LiveBot:
            return stack.enter_context(live_bot(workdir, settings=settings))

        first = await asyncio.to_thread(start)
        second = await asyncio.to_thread(start)
        try:
            yield first, second
        finally:
            await asyncio.to_thread(stack.close)


async def post(bot: LiveBot, path: str, body: dict[str, Any], token: str = "") -> Any:
    return await asyncio.to_thread(call, bot.base_url + path, body, token)


async def get(bot: LiveBot, path: str, token: str) -> Any:
    return await asyncio.to_thread(call, bot.base_url + path, None, token)


def texts(answer: dict[str, Any]) -> str:
    return " ".join(reply["text"] for reply in answer["replies"])


async def hand_over(bot: LiveBot, user: dict[str, str], text: str) -> tuple[str, str, str]:
    """A customer asks for a person and picks the billing team: (conversation, ticket,
    customer token)."""
    first = await post(bot, "/api/chat", {"user": user, "text": text})
    click = {
        "user": user,
        "conversation": first["conversation"],
        "action": "pick_department",
        "value": "billing",
    }
    picked = await post(bot, "/api/chat/action", click, first["customer_token"])
    found = re.search(r"\bT-\d+\b", texts(picked))
    assert found, texts(picked)
    return first["conversation"], found.group(0), first["customer_token"]


async def test_a_customer_alternating_between_processes_has_one_conversation(
    tmp_path: Path,
) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):
        user = {"id": "u-maria", "name": ""}
        first = await post(one, "/api/chat", {"user": user, "text": "hello"})
        conversation, token = first["conversation"], first["customer_token"]
        said = {"user": user, "conversation": conversation}
        named = await post(two, "/api/chat", said | {"text": "Maria"}, token)
        assert texts(named).startswith("Nice to meet you, Maria.")
        await post(one, "/api/chat", said | {"text": "how do I reset my password?"}, token)
        path = f"/api/chat/{conversation}/messages"
        on_one, on_two = await get(one, path, token), await get(two, path, token)
        assert on_one["messages"] == on_two["messages"]
        assert [m["seq"] for m in on_one["messages"]] == list(range(1, len(on_one["messages"]) + 1))


async def test_g3_staff_on_one_process_claim_a_ticket_opened_on_the_other(tmp_path: Path) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):
        user = {"id": "u-jonas", "name": "Jonas"}
        _, ticket, _ = await hand_over(one, user, "I want to talk to a person")
        command = {"command": "claim", "text": ticket}
        claimed = await post(two, "/api/staff/command", command, two.staff_token)
        assert ticket in texts(claimed)
        again = await post(one, "/api/staff/command", command, one.staff_token)
        assert "Demo Agent" in texts(again)  # one's view: already claimed, by whom
        listed = await get(one, "/api/staff/conversations", one.staff_token)
        assert [c["ticket"] for c in listed["conversations"]] == [ticket]


async def test_requests_opened_on_both_at_once_get_unique_numbers(tmp_path: Path) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):

        async def ask(bot: LiveBot, number: int) -> str:
            user = {"id": f"u-{number}", "name": f"Kim {number}"}
            _, ticket, _ = await hand_over(bot, user, "I need to speak to a human please")
            return ticket

        tickets = await asyncio.gather(*(ask((one, two)[n % 2], n) for n in range(16)))
        assert len(set(tickets)) == 16
        refs = await get(one, "/api/staff/conversations", one.staff_token)
        assert len({c["ref"] for c in refs["conversations"]}) == 16


async def test_b3_messages_sent_to_both_at_once_are_all_kept_in_order(tmp_path: Path) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):
        user = {"id": "u-ola", "name": "Ola"}
        first = await post(one, "/api/chat", {"user": user, "text": "hi"})
        conversation, token = first["conversation"], first["customer_token"]
        said = {"user": user, "conversation": conversation}
        lines = [f"detail number {n}" for n in range(12)]
        await asyncio.gather(
            *(
                post((one, two)[n % 2], "/api/chat", said | {"text": line}, token)
                for n, line in enumerate(lines)
            )
        )
        path = f"/api/chat/{conversation}/messages"
        messages = (await get(two, path, token))["messages"]
        kept = [m["text"] for m in messages if m["role"] == "customer"]
        assert sorted(kept[1:]) == sorted(lines)  # each once, none lost
        assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))


async def test_g3_a_page_on_one_process_hears_a_reply_sent_on_the_other(tmp_path: Path) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):
        user = {"id": "u-eva", "name": "Eva"}
        conversation, ticket, token = await hand_over(one, user, "Please, a person")
        path = f"/api/chat/{conversation}/ws?token={token}"
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(one.base_url + path)
            claim = {"command": "claim", "text": ticket}
            await post(two, "/api/staff/command", claim, two.staff_token)
            reply = {"command": "reply", "text": f"{ticket} Hello Eva, I'm on it."}
            await post(two, "/api/staff/command", reply, two.staff_token)
            heard: list[str] = []
            while "Hello Eva, I'm on it." not in heard:
                pushed = await socket.receive_json(timeout=10)
                heard.append(pushed["message"]["text"])
            await socket.close()


async def test_a_slack_event_retried_to_the_other_process_is_answered_once(
    tmp_path: Path,
) -> None:
    async with fresh_database() as url, SlackFake() as fake:
        fake.add_user("U-LENA", "lena", real_name="Lena")
        slack = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
        }
        async with two_bots(tmp_path, url, slack) as (one, two):
            ts = "1700000500.000100"
            event = {"type": "message", "user": "U-LENA", "text": "hello", "channel": "D-LENA"}
            event |= {"channel_type": "im", "ts": ts, "event_ts": ts}
            body = event_body(event, "Ev-retried-1")
            async with aiohttp.ClientSession() as session:
                first, _ = await post_signed(session, f"{one.base_url}/slack/events", body, SECRET)
                await fake.wait_for(lambda: len(fake.messages("D-LENA")) >= 2, timeout=10)
                answered = len(fake.messages("D-LENA"))
                retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                again, _ = await post_signed(
                    session, f"{two.base_url}/slack/events", body, SECRET, headers=retry
                )
            assert (first, again) == (200, 200)
            await asyncio.sleep(1.0)  # time for a second answer, if there were one
            assert len(fake.messages("D-LENA")) == answered
            assert any("delivered again" in line for line in two.output)


async def test_b3_a_process_killed_in_a_write_storm_loses_no_acknowledged_message(
    tmp_path: Path,
) -> None:
    async with fresh_database() as url, two_bots(tmp_path, url) as (one, two):
        chats = []
        for number in range(6):
            user = {"id": f"u-storm-{number}", "name": f"Storm {number}"}
            first = await post(one, "/api/chat", {"user": user, "text": "hello"})
            chats.append((user, first["conversation"], first["customer_token"]))
        acknowledged: list[tuple[str, str]] = []

        async def customer(user: dict[str, str], conversation: str, token: str) -> None:
            for line in range(40):
                text = f"{user['id']} line {line}"
                body = {"user": user, "conversation": conversation, "text": text}
                bot = (one, two)[line % 2]
                try:
                    await post(bot, "/api/chat", body, token)
                except OSError:  # the killed process's requests fail; nothing was promised
                    if bot is two:
                        raise
                    continue
                acknowledged.append((conversation, text))

        storm = asyncio.gather(*(customer(*chat) for chat in chats))
        await asyncio.sleep(1.5)
        one.process.kill()  # SIGKILL: no clean-up at all
        await storm
        assert len(acknowledged) > 100
        for user, conversation, token in chats:  # the survivor carries every one on
            said = {"user": user, "conversation": conversation, "text": "are you there?"}
            assert (await post(two, "/api/chat", said, token))["replies"] is not None
            path = f"/api/chat/{conversation}/messages"
            messages = (await get(two, path, token))["messages"]
            kept = [m["text"] for m in messages if m["role"] == "customer"]
            promised = [text for conv, text in acknowledged if conv == conversation]
            assert set(promised) <= set(kept)
            assert len(kept) == len(set(kept))  # and none twice
            assert [m["seq"] for m in messages] == list(range(1, len(messages) + 1))


async def test_the_discord_gateway_fails_over_to_the_other_process(tmp_path: Path) -> None:
    async with fresh_database() as url, serve_discord() as fake:
        discord = {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_URL": fake.base_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
        }
        async with two_bots(tmp_path, url, discord) as (one, two):
            holder = await asyncio.to_thread(_first_to_connect, one, two)
            other = two if holder is one else one
            assert not _connected(other)  # one gateway connection, not two
            dm = fake.dm_channel(DISCORD_CUSTOMER)
            await fake.message_create(dm, DISCORD_CUSTOMER, "hello")
            replies = await wait_until(lambda: fake.sent_messages(dm), timeout=10)
            assert replies[0]["content"].startswith("Hi Alice!")
            # Staff on the process without the gateway write to the Discord customer.
            reply = {"command": "reply", "text": "C-1 Hello Alice, Sam from billing here."}
            await post(other, "/api/staff/command", reply, other.staff_token)
            await wait_until(lambda: _said(fake.sent_messages(dm), "Sam from billing"), 10)
            holder.process.kill()
            killed_at = time.monotonic()
            await wait_until(lambda: _connected(other), timeout=30)
            assert time.monotonic() - killed_at < 15
            before = len(fake.sent_messages(dm))
            await fake.message_create(dm, DISCORD_CUSTOMER, "are you still there?")
            await wait_until(lambda: len(fake.sent_messages(dm)) > before, timeout=10)


def _said(messages: list[dict[str, Any]], words: str) -> bool:
    return any(words in message["content"] for message in messages)


def _connected(bot: LiveBot) -> bool:
    return any("Discord: connected as" in line for line in bot.output)


def _first_to_connect(one: LiveBot, two: LiveBot) -> LiveBot:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for bot in (one, two):
            if _connected(bot):
                return bot
        time.sleep(0.1)
    raise AssertionError("no process connected to Discord:\n" + "".join(one.output + two.output))


async def test_a_flood_spread_over_both_processes_is_limited_as_one(tmp_path: Path) -> None:
    limits = {"SUPPORTBOT_LIMIT_CONVERSATION": "20/30"}  # the default: 20 at once, 30 a minute
    async with fresh_database() as url, two_bots(tmp_path, url, limits) as (one, two):
        user = {"id": "u-flood", "name": "Flo"}
        first = await post(one, "/api/chat", {"user": user, "text": "hi"})
        said = {"user": user, "conversation": first["conversation"]}
        statuses, waits = [], []
        for number in range(30):
            body = said | {"text": f"again {number}"}
            try:
                await post((one, two)[number % 2], "/api/chat", body, first["customer_token"])
                statuses.append(200)
            except urllib.error.HTTPError as refused:
                statuses.append(refused.code)
                waits.append(int(refused.headers["Retry-After"]))
        # 20 at once for both together (each alone would take 20: about 40 in all), plus
        # the few a 30-a-minute refill gives back while the test runs
        assert 19 <= statuses.count(200) <= 24
        assert statuses[:19] == [200] * 19
        assert 429 in statuses[0::2]  # refused on the first process
        assert 429 in statuses[1::2]  # and on the second
        assert min(waits) >= 1


async def test_processes_started_at_once_print_one_working_demo_login(tmp_path: Path) -> None:
    async with fresh_database() as url:
        settings = {"SUPPORTBOT_DATABASE_URL": url}
        with ExitStack() as stack:

            def start() -> LiveBot:
                return stack.enter_context(live_bot(tmp_path, settings=settings))

            try:
                one, two = await asyncio.gather(asyncio.to_thread(start), asyncio.to_thread(start))
                assert one.staff_token == two.staff_token
                for bot in (one, two):
                    me = await get(bot, "/api/staff/me", bot.staff_token)
                    assert me["id"] == "demo"
            finally:
                await asyncio.to_thread(stack.close)
