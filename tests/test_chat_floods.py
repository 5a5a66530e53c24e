"""A flood from one Slack or Discord user (issue 13, item 3): one polite, localized "please
slow down", the excess not processed and not stored; other users are served normally."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.limits import Rate
from bot.models import Address, Incoming, Person
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.fakes import FakeClock


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_c3_a_flood_gets_one_polite_refusal_and_is_not_stored(platform: str) -> None:
    bot = build_bot(Settings(limit_chat_user=Rate(3, 1)), MemoryStore(), FakeClock())
    flooder = Person(platform, "U-FLOOD", "Flo")
    where = Address(platform, "D-FLOOD")
    first = await bot.dispatch(Incoming.message(flooder, where, "Hallo, ich habe eine Frage"))
    assert first  # greeted
    for n in range(2):
        await bot.dispatch(Incoming.message(flooder, where, f"Nachricht {n}"))
    stored = len(await bot.services.transcript.after(where.key, 0))
    refused = await bot.dispatch(Incoming.message(flooder, where, "noch eine Nachricht"))
    assert [r.text for r in refused] == [bot.services.catalog.text("de", "chat_too_fast")]
    for _ in range(5):
        assert await bot.dispatch(Incoming.message(flooder, where, "und noch eine")) == []
    assert len(await bot.services.transcript.after(where.key, 0)) == stored  # nothing stored

    other = Person(platform, "U-CALM", "Cal")
    served = await bot.dispatch(Incoming.message(other, Address(platform, "D-CALM"), "Hello"))
    assert served
    assert "slow down" not in " ".join(r.text for r in served)


async def test_web_messages_are_left_to_the_web_adapter() -> None:
    bot = build_bot(Settings(limit_chat_user=Rate(1, 1)), MemoryStore(), FakeClock())
    who, where = Person("web", "w-1", "Wes"), Address("web", "c-1")
    for text in ("hello", "my parcel", "is late"):
        replies = await bot.dispatch(Incoming.message(who, where, text))
        assert "slow down" not in " ".join(r.text for r in replies)
