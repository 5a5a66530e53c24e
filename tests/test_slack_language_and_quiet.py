"""Slack: the user's Slack language and the support channel's declared language decide a
short opening (A1, G5); quick messages in a row are read together and answered once (B1)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from bot.adapters.slack_events import thread_address
from bot.channels import SupportChannel, languages_of, load_support_places
from tests.slack_rig import ANNA, BEN, SUPPORT, SlackRig, slack_rig, texts

QUIET = 0.4  # seconds: long enough for a test to send three messages inside it


def speaks(rig: SlackRig, user: str, locale: str) -> None:
    """What users.info says of `user`'s Slack language from now on ("" = nothing)."""
    rig.fake.users[user] = replace(rig.fake.users[user], locale=locale)


async def test_a1_the_users_slack_language_decides_a_short_greeting() -> None:
    async with slack_rig() as rig:
        speaks(rig, ANNA, "sv-SE")
        speaks(rig, BEN, "da-DK")
        anna = await rig.say(ANNA, "Hej")
        ben = await rig.say(BEN, "Hej")
        [swedish, *_] = await rig.wait_thread(SUPPORT, anna, 1)
        [danish, *_] = await rig.wait_thread(SUPPORT, ben, 1)
        assert texts([swedish])[0].startswith("Hej Anna! Jag är supportboten")
        assert texts([danish])[0].startswith("Hej Ben! Jeg er supportbotten")
        asked = [c.params for c in rig.fake.calls("users.info")]
        assert asked
        assert all(str(p.get("include_locale")).lower() in ("1", "true") for p in asked)


async def test_a1_a_support_channel_declares_its_language() -> None:
    async with slack_rig(languages={SUPPORT: "da"}) as rig:
        speaks(rig, ANNA, "")  # Slack did not say
        root = await rig.say(ANNA, "Hej")
        [greeting, *_] = await rig.wait_thread(SUPPORT, root, 1)
        assert texts([greeting])[0].startswith("Hej Anna! Jeg er supportbotten")


async def test_a1_the_text_still_wins_over_a_clear_locale() -> None:
    async with slack_rig() as rig:
        speaks(rig, ANNA, "en-US")
        root = await rig.say(ANNA, "Guten Morgen, meine Bestellung ist leider immer noch nicht da")
        greeting = (await rig.wait_thread(SUPPORT, root, 1))[0]
        assert texts([greeting])[0].startswith("Hallo, Anna! Ich bin der Support-Bot")


async def test_b1_quick_messages_in_a_row_are_answered_once() -> None:
    async with slack_rig(quiet=QUIET) as rig:
        first = await rig.say(ANNA, "Hi")
        await rig.say(ANNA, "my parcel was supposed to come on Monday")
        await rig.say(ANNA, "it still hasn't arrived")
        await asyncio.sleep(QUIET / 2)
        assert rig.fake.messages(SUPPORT) == []  # still letting her finish
        replies = await rig.wait_thread(SUPPORT, first, 1)
        await asyncio.sleep(QUIET * 2)
        threads = {m.get("thread_ts") for m in rig.fake.messages(SUPPORT)}
        assert threads == {first}  # one conversation, not one per message
        greetings = [t for t in texts(replies) if t.startswith("Hi Anna!")]
        assert len(greetings) == 1
        address = thread_address(SUPPORT, first)
        conversation = await rig.bot.services.conversations.get(address.key)
        assert conversation is not None
        assert "still hasn't arrived" in conversation.topic


async def test_b1_with_the_window_off_each_message_is_answered_at_once() -> None:
    async with slack_rig(quiet=0) as rig:
        root = await rig.say(ANNA, "Hi")
        assert await rig.wait_thread(SUPPORT, root, 1)


def test_support_channels_may_declare_a_language_and_plain_ids_still_work(
    tmp_path: Path,
) -> None:
    (tmp_path / "departments.yaml").write_text(
        "support_channels:\n  slack: [C-PLAIN, {id: C-DANISH, language: da}]\n  discord: ['123']\n",
        encoding="utf-8",
    )
    places = load_support_places(tmp_path)
    assert places["slack"] == (SupportChannel("C-PLAIN"), SupportChannel("C-DANISH", "da"))
    assert languages_of(places["slack"]) == {"C-DANISH": "da"}
    assert places["discord"] == (SupportChannel("123"),)
