"""One bot, both chat platforms at once: a Discord customer served by staff on Slack, and a
request filed on Slack handled by a department that works on Discord (G5)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import pytest

from bot.adapters.discord_adapter import DiscordAdapter
from bot.kb.live import LiveKnowledgeBase
from bot.tickets.model import Status
from tests.discord_fake import (
    CUSTOMER,
    QUEUE_CHANNEL_ID,
    STAFF,
    STAFF_ROLE_ID,
    FakeDiscord,
    serve,
    wait_until,
)
from tests.discord_rig import button, discord_settings, last_with_buttons, sample_kb
from tests.slack_rig import SAM, SlackRig, slack_rig, texts

PARCEL = "hi, how long will it take for my parcel to get here"


@pytest.fixture(scope="module")
def kb() -> LiveKnowledgeBase:
    return sample_kb()


@asynccontextmanager
async def both(
    kb: LiveKnowledgeBase,
) -> AsyncIterator[tuple[SlackRig, FakeDiscord, DiscordAdapter]]:
    """The Slack rig's bot with the Discord adapter started on it too."""
    async with slack_rig(kb=kb) as slack, serve() as discord_fake:
        adapter = DiscordAdapter(
            slack.bot, discord_settings(discord_fake), backoff=0.05, guild_ready_timeout=0.05
        )
        await adapter.start()
        try:
            await wait_until(lambda: adapter.ready)
            yield slack, discord_fake, adapter
        finally:
            await adapter.close()
        assert not discord_fake.errors


def dm_texts(fake: FakeDiscord, dm: int) -> list[str]:
    return [m["content"] for m in fake.sent_messages(dm)]


async def test_a_discord_customer_is_served_by_staff_on_slack(kb: LiveKnowledgeBase) -> None:
    async with both(kb) as (slack, fake, _):
        dm = fake.dm_channel(CUSTOMER)
        await fake.message_create(dm, CUSTOMER, PARCEL)
        await wait_until(lambda: len(fake.sent_messages(dm)) >= 3)
        question = last_with_buttons(fake.sent_messages(dm))
        no = button(question, "No, not really")
        await fake.button_click(int(question["id"]), no, user=CUSTOMER)
        await wait_until(lambda: "ticket T-1001" in dm_texts(fake, dm)[-1])

        card = await slack.card("C-ORDERS")
        assert card["blocks"][0]["text"]["text"] == "Ticket T-1001 · Orders and delivery · waiting"
        assert "Alice · discord" in str(card["blocks"])
        await slack.click(SAM, card, "Claim")
        await wait_until(lambda: "this is Sam from our Orders" in dm_texts(fake, dm)[-1])

        await fake.message_create(dm, CUSTOMER, "It was order 5512")
        in_card = await slack.wait_thread("C-ORDERS", card["ts"], 1)
        assert texts(in_card)[-1] == "*Alice*\nIt was order 5512"
        await slack.say(SAM, "It ships today.", "C-ORDERS", thread=card["ts"])
        await wait_until(lambda: dm_texts(fake, dm)[-1] == "**Sam (support)**\nIt ships today.")

        await slack.command(SAM, "resolve T-1001 Shipped with express delivery", "C-ORDERS")
        await wait_until(lambda: "Shipped with express" in dm_texts(fake, dm)[-1])
        asked = last_with_buttons(fake.sent_messages(dm))
        solved = button(asked, "Yes, it's solved")
        await fake.button_click(int(asked["id"]), solved, user=CUSTOMER)
        await wait_until(lambda: "How would you rate" in dm_texts(fake, dm)[-1])
        ticket = await slack.bot.services.desk.get("T-1001")
        assert ticket is not None
        assert ticket.status is Status.CLOSED


async def test_a_request_filed_on_slack_is_handled_on_discord(kb: LiveKnowledgeBase) -> None:
    async with both(kb) as (slack, fake, adapter):
        services = slack.bot.services
        billing = services.departments["billing"]
        on_discord = replace(
            billing,
            staff={"discord": (f"role:{STAFF_ROLE_ID}",)},
            queues={"discord": str(QUEUE_CHANNEL_ID)},
        )
        services.with_departments({**services.departments, "billing": on_discord})
        answer = await slack.command(SAM, "request billing Please send a credit note for 5512")
        assert "R-301" in answer["text"]
        await adapter.relay_queue.idle()
        posted = await wait_until(lambda: fake.sent_messages(QUEUE_CHANNEL_ID))
        [card] = [m for m in posted if m["embeds"]]
        assert any(m["content"].startswith("New request R-301 from Sam") for m in posted)
        assert card["embeds"][0]["title"] == "Request R-301 · Billing · waiting"
        await fake.button_click(int(card["id"]), button(card, "Claim"), user=STAFF)
        await fake.message_create(int(card["id"]), STAFF, "Credit note sent.")
        await wait_until(lambda: _requester_heard(slack, "Credit note sent."))


def _requester_heard(slack: SlackRig, text: str) -> bool:
    return any(text in t for t in texts(slack.fake.messages()))
