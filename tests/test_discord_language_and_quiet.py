"""Discord: the client's language (interactions carry it, DMs do not), the server's preferred
locale and the support channel's declared language decide a short opening (A1, G5); staff are
told commands as they type them here; quick messages are answered once, and typing gives the
customer longer (B1)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.discord_fake import (
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    FakeMember,
    FakeUser,
    serve,
    wait_until,
)
from tests.discord_rig import button, rig

KLAUS = FakeUser(300_000_000_000_000_021, "klaus", global_name="Klaus", locale="de")
EBBA = FakeUser(300_000_000_000_000_022, "ebba", global_name="Ebba", locale="sv-SE")
MADS = FakeUser(300_000_000_000_000_023, "mads", global_name="Mads", locale="")
QUIET = 0.4  # seconds


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with serve() as running:
        running.guild.members.extend(FakeMember(user) for user in (KLAUS, EBBA, MADS))
        yield running
        assert not running.errors


async def test_a1_the_panel_greets_in_the_clients_language(fake: FakeDiscord) -> None:
    async with rig(fake, support=[str(GENERAL_CHANNEL_ID)]) as desk:
        [panel] = await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
        await fake.button_click(int(panel["id"]), button(panel, "Get help"), user=KLAUS)
        [thread] = await wait_until(fake.threads)
        greeting = await desk.wait_texts(int(thread["id"]), 2)
        assert greeting[0].startswith("Hallo, Klaus! Ich bin der Support-Bot")


async def test_a1_a_dm_keeps_the_language_of_the_users_last_interaction(
    fake: FakeDiscord,
) -> None:
    async with rig(fake, support=[str(GENERAL_CHANNEL_ID)]) as desk:
        await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
        await fake.slash_command("help", user=EBBA, channel_id=GENERAL_CHANNEL_ID)
        await wait_until(fake.threads)
        dm = fake.dm_channel(EBBA)
        await fake.message_create(dm, EBBA, "Hej")
        [greeting, *_] = await desk.wait_texts(dm, 1)
        assert greeting.startswith("Hej Ebba! Jag är supportboten")


async def test_a1_the_servers_preferred_locale_is_a_prior(
    fake: FakeDiscord,
) -> None:
    fake.guild.preferred_locale = "da"
    async with rig(fake, support=[str(GENERAL_CHANNEL_ID)]) as desk:
        await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
        await fake.message_create(GENERAL_CHANNEL_ID, MADS, "Hej", guild_id=GUILD_ID)
        [thread] = await wait_until(fake.threads)
        greeting = await desk.wait_texts(int(thread["id"]), 1)
        assert greeting[0].startswith("Hej Mads! Jeg er supportbotten")


async def test_a1_a_support_channel_declares_its_language(fake: FakeDiscord) -> None:
    languages = {str(GENERAL_CHANNEL_ID): "sv"}
    async with rig(fake, support=[str(GENERAL_CHANNEL_ID)], languages=languages) as desk:
        await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
        await fake.message_create(GENERAL_CHANNEL_ID, MADS, "Hej", guild_id=GUILD_ID)
        [thread] = await wait_until(fake.threads)
        greeting = await desk.wait_texts(int(thread["id"]), 1)
        assert greeting[0].startswith("Hej Mads! Jag är supportboten")


async def test_b1_quick_dms_are_answered_once_and_typing_waits_longer(
    fake: FakeDiscord,
) -> None:
    async with rig(fake, quiet=QUIET) as desk:
        dm = fake.dm_channel(KLAUS)
        await fake.message_create(dm, KLAUS, "Hallo")
        await fake.typing_start(dm, KLAUS)
        await asyncio.sleep(QUIET * 1.5)
        assert desk.sent(dm) == []  # still typing: the bot lets him finish
        await fake.message_create(dm, KLAUS, "mein Paket ist seit einer Woche unterwegs")
        await fake.message_create(dm, KLAUS, "und die Sendungsverfolgung zeigt nichts an")
        texts = await desk.wait_texts(dm, 1)
        await asyncio.sleep(QUIET * 2)
        texts = desk.texts(dm)
        assert len([t for t in texts if t.startswith("Hallo, Klaus!")]) == 1
        assert not any("Worum geht es" in t for t in texts)  # the request was read with it
