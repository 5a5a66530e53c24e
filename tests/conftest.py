"""Shared fixtures: a web app on a real Bot with a MemoryStore and a fake clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.core import Bot
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.fakes import FakeClock

pytest_plugins = ["tests.discord_fixtures"]  # the fake Discord, the sample KB, the bot on both

ClientMaker = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]


JSON = {"Content-Type": "application/json"}  # for bodies posted as raw bytes


@dataclass
class WebRig:
    client: TestClient  # type: ignore[type-arg]
    bot: Bot
    clock: FakeClock
    staff_token: str

    @property
    def staff_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.staff_token}"}


@pytest.fixture
async def web_rig(aiohttp_client: ClientMaker) -> WebRig:
    clock = FakeClock()
    bot = build_bot(Settings(), MemoryStore(), clock)
    token = await bot.services.staff.add("sam", "Sam Staff")
    app = create_app(bot)
    mark_ready(app)
    return WebRig(await aiohttp_client(app), bot, clock, token)
