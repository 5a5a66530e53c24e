"""Fixtures for end-to-end Discord tests (registered in conftest.py): the local fake Discord,
the sample knowledge base and the real bot connected to both."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.kb.live import LiveKnowledgeBase
from tests.discord_fake import GENERAL_CHANNEL_ID, FakeDiscord, serve
from tests.discord_rig import DiscordRig, rig, sample_kb


@pytest.fixture(scope="module")
def kb() -> LiveKnowledgeBase:
    return sample_kb()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with serve() as running:
        yield running
        assert not running.errors  # a handler of the fake itself crashed


@pytest.fixture
async def desk(fake: FakeDiscord, kb: LiveKnowledgeBase) -> AsyncIterator[DiscordRig]:
    async with rig(fake, kb, support=[str(GENERAL_CHANNEL_ID)]) as running:
        yield running
