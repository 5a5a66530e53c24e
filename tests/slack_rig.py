"""The real bot with its Slack adapter in HTTP mode, served on loopback against the Slack fake.

Customers and staff act by sending what Slack would send (signed events, slash commands and
clicks on the buttons the bot actually posted); the test reads what reached the fake."""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bot.adapters.slack import SlackAdapter
from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.config_slack import SlackSettings
from bot.core import Bot
from bot.departments import Department, load_departments
from bot.ports import KnowledgeBase
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.fakes import FakeClock
from tests.slack_fake import (
    FORM_TYPE,
    SlackFake,
    action_body,
    block_action_payload,
    command_body,
    event_body,
    post_signed,
)

DATA = Path(__file__).parent.parent / "data"
SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
SUPPORT = "C-SUPPORT"  # a customer channel (support_channels)
ANNA, BEN, SAM = "U-ANNA", "U-BEN", "U-SAM"  # two customers and a staff member
Message = dict[str, Any]


def departments() -> dict[str, Department]:
    """The sample departments, with Sam as Slack staff and a queue channel each (C-ORDERS...)."""
    return {
        key: replace(d, staff={**d.staff, "slack": (SAM,)}, queues={"slack": f"C-{key.upper()}"})
        for key, d in load_departments(DATA).items()
    }


@dataclass
class SlackRig:
    fake: SlackFake
    bot: Bot
    adapter: SlackAdapter
    url: str
    session: ClientSession
    clock: FakeClock
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def event(self, event: dict[str, Any], event_id: str = "", **headers: str) -> int:
        """POST a signed event; the HTTP status."""
        body = event_body(event, event_id or f"Ev{next(self._ids)}")
        status, _ = await post_signed(self.session, self.url, body, SECRET, headers=headers)
        return status

    async def say(
        self, user: str, text: str, channel: str = SUPPORT, thread: str = "", **extra: Any
    ) -> str:
        """A person's message (top level, or in `thread`); its ts."""
        ts = f"1700000{next(self._ids):03d}.000100"
        event = {"type": "message", "user": user, "text": text, "channel": channel, "ts": ts}
        event |= {"channel_type": "channel", "event_ts": ts} | extra
        if thread:
            event["thread_ts"] = thread
        assert await self.event(event) == 200
        return ts

    async def command(self, user: str, text: str, channel: str = SUPPORT) -> Any:
        """`/support <text>`; the ephemeral answer posted to its response URL."""
        name = f"cmd-{next(self._ids)}"
        url = self.fake.response_url(name)
        body = command_body("/support", text, user_id=user, channel_id=channel, response_url=url)
        status, _ = await post_signed(self.session, self.url, body, SECRET, FORM_TYPE)
        assert status == 200
        return (await self.fake.wait_for(lambda: self.fake.responses(name)))[0]

    async def click(self, user: str, message: Message, label: str) -> str:
        """Click the button labelled `label` on a message the bot posted; the response URL name."""
        button = next(
            element
            for block in message.get("blocks", [])
            if block["type"] == "actions"
            for element in block["elements"]
            if element["text"]["text"] == label
        )
        name = f"act-{next(self._ids)}"
        payload = block_action_payload(
            button["action_id"],
            button.get("value", ""),
            user_id=user,
            channel_id=message["channel"],
            message_ts=message["ts"],
            response_url=self.fake.response_url(name),
        )
        payload["actions"][0]["text"] = button["text"]
        payload["message"] |= {"blocks": message["blocks"], "text": message["text"]}
        if message.get("thread_ts"):
            payload["message"]["thread_ts"] = message["thread_ts"]
        status, _ = await post_signed(
            self.session, self.url, action_body(payload), SECRET, FORM_TYPE
        )
        assert status == 200
        return name

    def thread(self, channel: str, root: str) -> list[Message]:
        """The bot's messages in one thread, in order."""
        return [m for m in self.fake.messages(channel) if m.get("thread_ts") == root]

    async def wait_thread(self, channel: str, root: str, count: int) -> list[Message]:
        """Wait until the thread has at least `count` bot messages; all of them."""
        await self.fake.wait_for(lambda: len(self.thread(channel, root)) >= count, timeout=5)
        return self.thread(channel, root)

    async def card(self, channel: str) -> Message:
        """The first card posted in a queue channel (as it is now, after updates)."""
        cards = await self.fake.wait_for(
            lambda: [m for m in self.fake.messages(channel) if not m.get("thread_ts")]
        )
        return dict(self.fake.history[channel][cards[0]["ts"]]) | {"channel": channel}


def texts(messages: list[Message]) -> list[str]:
    """What the customer reads: every section of each message."""
    return [
        "\n".join(b["text"]["text"] for b in m["blocks"] if b["type"] == "section")
        for m in messages
    ]


@asynccontextmanager
async def slack_rig(
    kb: KnowledgeBase | None = None,
    pace: float = 0.0,
    support: tuple[str, ...] = (SUPPORT,),
    *,
    languages: Mapping[str, str] | None = None,
    quiet: float = 0.0,
) -> AsyncIterator[SlackRig]:
    """The bot, its web app with /slack/events, and the fake, all on 127.0.0.1. `quiet` is
    the quiet window (0: every message answered at once); `languages` what support channels
    declare."""
    async with SlackFake() as fake:
        for user, name in ((ANNA, "Anna"), (BEN, "Ben"), (SAM, "Sam")):
            fake.add_user(user, name.lower(), real_name=f"{name} Example", display_name=name)
        slack = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SECRET, api_url=fake.url)
        clock = FakeClock()
        settings = Settings(slack=slack, quiet_window_seconds=quiet)
        bot = build_bot(settings, MemoryStore(), clock, kb=kb, departments=departments())
        adapter = SlackAdapter(
            bot, slack, support, pace=pace, backoff=0.01, languages=languages or {}
        )
        app = create_app(bot)
        adapter.mount(app)
        mark_ready(app)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        await adapter.start()
        try:
            async with ClientSession() as session:
                url = str(server.make_url("/slack/events"))
                yield SlackRig(fake, bot, adapter, url, session, clock)
        finally:
            await adapter.close()
            await server.close()


def blocks_text(message: Message) -> str:
    """Every text in a message's blocks, for checks that nothing unescaped slipped in."""
    return json.dumps(message.get("blocks", []), ensure_ascii=False)
