"""The real bot with its Discord adapter, run against tests.discord_fake (loopback only)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.discord_adapter import DiscordAdapter
from bot.config import Settings
from bot.config_discord import DiscordSettings
from bot.core import Bot
from bot.departments import Department
from bot.kb.live import LiveKnowledgeBase
from bot.ports import KnowledgeBase
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.discord_fake import QUEUE_CHANNEL_ID, STAFF_ROLE_ID, FakeDiscord, wait_until
from tests.fakes import FakeClock

DATA = Path(__file__).parent.parent / "data"
TEAMS = {
    "billing": "Billing",
    "orders": "Orders and delivery",
    "technical": "Technical support",
    "accounts": "Accounts and privacy",
}
JSON = dict[str, Any]


def departments(queue: int = QUEUE_CHANNEL_ID) -> dict[str, Department]:
    """The sample departments, open around the clock, with their queue on the fake's queue
    channel and the fake's staff role as their staff."""
    return {
        team: Department(
            team,
            {"en": name},
            staff={"discord": (f"role:{STAFF_ROLE_ID}",)},
            queues={"discord": str(queue)},
            hours={"timezone": "UTC", "always": True},
        )
        for team, name in TEAMS.items()
    }


def sample_kb(teams: Sequence[str] = tuple(TEAMS)) -> LiveKnowledgeBase:
    """The real sample knowledge base (a few seconds to train: load once per module)."""
    return asyncio.run(LiveKnowledgeBase.open(DATA / "kb", frozenset(teams)))


def discord_settings(fake: FakeDiscord, message_content: bool = True) -> DiscordSettings:
    """The settings `.env` would give, pointing discord.py at the fake."""
    env = {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "SUPPORTBOT_DISCORD_MESSAGE_CONTENT": "true" if message_content else "false",
    }
    return DiscordSettings.from_env(env)


@dataclass
class DiscordRig:
    """One bot on a memory store and a fake clock, served on the fake Discord."""

    fake: FakeDiscord
    bot: Bot
    clock: FakeClock
    support: tuple[str, ...] = ()
    message_content: bool = True
    adapters: list[DiscordAdapter] = field(default_factory=list)
    languages: Mapping[str, str] = field(default_factory=dict)  # support channel -> language

    @property
    def adapter(self) -> DiscordAdapter:
        return self.adapters[-1]

    async def start(self) -> DiscordAdapter:
        """Start (or start again, as after a restart) the Discord adapter; wait until ready."""
        settings = discord_settings(self.fake, self.message_content)
        adapter = DiscordAdapter(
            self.bot,
            settings,
            self.support,
            backoff=0.05,
            languages=self.languages,
            guild_ready_timeout=0.05,
        )
        self.adapters.append(adapter)
        await adapter.start()
        await wait_until(lambda: adapter.ready)
        return adapter

    async def stop(self) -> None:
        await self.adapter.close()

    async def settled(self) -> None:
        """Wait until the staff relay has shown everything so far."""
        await self.adapter.relay_queue.idle()

    def sent(self, channel: int) -> list[JSON]:
        return self.fake.sent_messages(channel)

    def texts(self, channel: int) -> list[str]:
        return [m["content"] for m in self.fake.sent_messages(channel)]

    async def wait_texts(self, channel: int, count: int, timeout: float = 5.0) -> list[str]:  # noqa: ASYNC109
        await wait_until(lambda: len(self.fake.sent_messages(channel)) >= count, timeout)
        return self.texts(channel)


def buttons(message: JSON) -> list[JSON]:
    """The buttons of a message, in order."""
    return [c for row in message.get("components") or [] for c in row.get("components") or []]


def button(message: JSON, label: str) -> str:
    """The custom_id of the button with this label."""
    found = [b["custom_id"] for b in buttons(message) if b.get("label") == label]
    assert found, f"no button {label!r} in {[b.get('label') for b in buttons(message)]}"
    return str(found[0])


def last_with_buttons(messages: list[JSON]) -> JSON:
    return next(m for m in reversed(messages) if buttons(m))


@asynccontextmanager
async def rig(
    fake: FakeDiscord,
    kb: KnowledgeBase | None = None,
    support: Sequence[str] = (),
    message_content: bool = True,
    *,
    languages: Mapping[str, str] | None = None,
    quiet: float = 0.0,
) -> AsyncIterator[DiscordRig]:
    """The bot on the fake; `quiet` is its quiet window (0: every message answered at
    once), `languages` what the support channels declare."""
    clock = FakeClock()
    settings = Settings(quiet_window_seconds=quiet)
    bot = build_bot(settings, MemoryStore(), clock, kb=kb, departments=departments())
    running = DiscordRig(fake, bot, clock, tuple(support), message_content)
    running.languages = dict(languages or {})
    await running.start()
    try:
        yield running
    finally:
        await running.stop()
