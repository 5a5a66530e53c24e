"""Two real `supportbot run` processes on one PostgreSQL database (issue 14): whichever
process a request reaches, customers and staff see one bot."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp

from tests.live import LiveBot, call, live_bot
from tests.postgres_db import fresh_database
from tests.slack_fake import SlackFake, event_body, post_signed
from tests.slack_rig import SECRET


@contextmanager
def two_bots(
    workdir: Path, url: str, more: dict[str, str] | None = None
) -> Iterator[tuple[LiveBot, LiveBot]]:
    """Started one after the other: they share the demo staff login's token file."""
    settings = {"SUPPORTBOT_DATABASE_URL": url, "SUPPORTBOT_QUIET_WINDOW_SECONDS": "0"}
    settings |= more or {}
    with ExitStack() as stack:
        first = stack.enter_context(live_bot(workdir, settings=settings))
        second = stack.enter_context(live_bot(workdir, settings=settings))
        yield first, second


@asynccontextmanager
async def database() -> AsyncIterator[str]:
    async with fresh_database() as url:
        yield url


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
    async with database() as url:
        with two_bots(tmp_path, url) as (one, two):
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
            assert [m["seq"] for m in on_one["messages"]] == list(
                range(1, len(on_one["messages"]) + 1)
            )


async def test_staff_on_one_process_claim_a_ticket_opened_on_the_other(tmp_path: Path) -> None:
    async with database() as url:
        with two_bots(tmp_path, url) as (one, two):
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
    async with database() as url:
        with two_bots(tmp_path, url) as (one, two):

            async def ask(bot: LiveBot, number: int) -> str:
                user = {"id": f"u-{number}", "name": f"Kim {number}"}
                _, ticket, _ = await hand_over(bot, user, "I need to speak to a human please")
                return ticket

            tickets = await asyncio.gather(*(ask((one, two)[n % 2], n) for n in range(16)))
            assert len(set(tickets)) == 16
            refs = await get(one, "/api/staff/conversations", one.staff_token)
            assert len({c["ref"] for c in refs["conversations"]}) == 16


async def test_messages_sent_to_both_at_once_are_all_kept_in_order(tmp_path: Path) -> None:
    async with database() as url:
        with two_bots(tmp_path, url) as (one, two):
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


async def test_a_page_on_one_process_hears_a_reply_sent_on_the_other(tmp_path: Path) -> None:
    async with database() as url:
        with two_bots(tmp_path, url) as (one, two):
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
    async with database() as url, SlackFake() as fake:
        fake.add_user("U-LENA", "lena", real_name="Lena")
        slack = {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.url,
        }
        with two_bots(tmp_path, url, slack) as (one, two):
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
