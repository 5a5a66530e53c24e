"""A long-lived chat has one topic per request (G2): after a ticket is closed, the next
request's ticket carries the next request's words, on Discord end to end and in the core
for Slack and web chats too."""

from __future__ import annotations

import pytest

from bot.departments import Department
from bot.kb.live import LiveKnowledgeBase
from bot.models import Address, Person
from bot.tickets.model import Status
from tests.discord_fake import (
    CUSTOMER,
    QUEUE_CHANNEL_ID,
    STAFF,
    wait_until,
)
from tests.discord_rig import JSON, DiscordRig, button, buttons, last_with_buttons
from tests.fakes import FakeChat, Harness
from tests.kb_samples import ENTRIES
from tests.test_discord_adapter import PARCEL, hand_over, private_answer

SECOND = "I was charged twice on my invoice, I want to talk to a person"
ANGRY = "This is ridiculous, my parcel is lost again, I am furious!!!"
FIRST_TICKET, SECOND_TICKET = "T-1001", "T-1002"


def cards(desk: DiscordRig) -> dict[str, JSON]:
    """The cards posted in the queue channel, by ticket."""
    posted = [m for m in desk.sent(QUEUE_CHANNEL_ID) if m["embeds"]]
    return {str(m["embeds"][0]["title"]).split(" ")[1]: m for m in posted}


async def say(desk: DiscordRig, dm: int, text: str, answers: int = 1) -> list[JSON]:
    """The customer writes in their DM; the bot's (first `answers`) answers to it."""
    before = len(desk.sent(dm))
    await desk.fake.message_create(dm, CUSTOMER, text)
    await wait_until(lambda: len(desk.sent(dm)) >= before + answers)
    await desk.settled()
    return desk.sent(dm)[before:]


async def click(desk: DiscordRig, dm: int, message: JSON, label: str) -> None:
    before = len(desk.sent(dm))
    await desk.fake.button_click(int(message["id"]), button(message, label), user=CUSTOMER)
    await wait_until(lambda: len(desk.sent(dm)) > before)
    await desk.settled()


async def staff_command(desk: DiscordRig, name: str, args: str) -> str:
    interaction = await desk.fake.slash_command(
        f"support {name}", user=STAFF, channel_id=QUEUE_CHANNEL_ID, options={"args": args}
    )
    return await private_answer(desk.fake, interaction)


def asked_to_confirm(desk: DiscordRig, dm: int) -> JSON | None:
    """The question whether it is solved, once the resolve summary reached the DM."""
    asked = last_with_buttons(desk.sent(dm))
    return asked if "Sent the tracking link" in asked["content"] else None


async def first_ticket_closed(desk: DiscordRig, rating: str) -> int:
    """T-1001 about the parcel: claimed, resolved, confirmed solved; then rated with a
    comment, rated without one, or not rated at all. The DM channel."""
    dm = await hand_over(desk)
    await staff_command(desk, "claim", FIRST_TICKET)
    await staff_command(desk, "resolve", f"{FIRST_TICKET} Sent the tracking link")
    summary = await wait_until(lambda: asked_to_confirm(desk, dm))
    assert summary is not None  # wait_until returns only a truthy value
    await click(desk, dm, summary, "Yes, it's solved")
    if rating != "not rated":
        stars = next(m for m in desk.sent(dm) if any(b["label"] == "5" for b in buttons(m)))
        await click(desk, dm, stars, "5")
    if rating == "rated with a comment":
        await say(desk, dm, "Quick and friendly")
    if rating == "rated, comment skipped":
        await click(desk, dm, last_with_buttons(desk.sent(dm)), "Skip")
    closed = await desk.bot.services.desk.get(FIRST_TICKET)
    assert closed is not None
    assert closed.status is Status.CLOSED
    return dm


@pytest.mark.parametrize("rating", ["rated with a comment", "rated, comment skipped", "not rated"])
async def test_g2_the_second_ticket_card_in_a_dm_shows_the_second_request(
    desk: DiscordRig, rating: str
) -> None:
    dm = await first_ticket_closed(desk, rating)
    asked = last_with_buttons(await say(desk, dm, SECOND, answers=2))
    assert asked["content"] == "Which team should look at this?"  # not the parcel's team
    await click(desk, dm, asked, "Billing")
    await wait_until(lambda: SECOND_TICKET in cards(desk))
    [embed] = cards(desk)[SECOND_TICKET]["embeds"]
    assert embed["title"] == f"Ticket {SECOND_TICKET} · Billing · waiting"
    assert embed["description"] == SECOND
    [thread] = [t for t in desk.fake.threads() if t["id"] == cards(desk)[SECOND_TICKET]["id"]]
    assert thread["name"] == f"{SECOND_TICKET} · {SECOND}"
    assert cards(desk)[FIRST_TICKET]["embeds"][0]["description"] == PARCEL
    first = await desk.bot.services.desk.get(FIRST_TICKET)
    assert first is not None
    assert first.topic == PARCEL


TEAMS = {
    "billing": Department("billing", {"en": "Billing"}, staff={"web": ("sam",)}),
    "orders": Department("orders", {"en": "Orders"}, staff={"web": ("sam",)}),
}
CHATS = {  # a long-lived direct message on Slack, a web chat
    "slack": (Person("slack", "U0123ABC", "alice"), Address("slack", "D0456DEF")),
    "web": (Person("web", "web-3f2a9c1d", "Alice"), Address("web", "conv-1")),
}


def chat(platform: str) -> Harness:
    h = Harness(kb=LiveKnowledgeBase.of(ENTRIES), departments=TEAMS)
    h.customer, h.address = CHATS[platform]
    h.bot.services.chats[platform] = h.chat if platform == "web" else FakeChat(platform)
    return h


async def closed_ticket(h: Harness) -> None:
    """The customer asks for a person about a lost parcel: T-1001, solved and rated."""
    await h.say("My parcel never arrived, I want to talk to a person")
    await h.click("pick_department", "orders")
    await h.command("claim", FIRST_TICKET)
    await h.command("resolve", f"{FIRST_TICKET} Resent the parcel")
    await h.click("solved_yes", FIRST_TICKET)
    await h.click("rate", f"{FIRST_TICKET}:4")
    await h.say("Thanks, all good")


async def topic_and_team(h: Harness, ticket_id: str) -> tuple[str, str]:
    ticket = await h.bot.services.desk.get(ticket_id)
    assert ticket is not None
    return ticket.topic, ticket.department


@pytest.mark.parametrize("platform", sorted(CHATS))
async def test_a_request_for_a_person_after_a_closed_ticket_is_the_new_topic(
    platform: str,
) -> None:
    h = chat(platform)
    await closed_ticket(h)
    assert await h.say(SECOND) == [
        "Of course. I'll get a colleague for you.",
        "Which team should look at this?",
    ]
    await h.click("pick_department", "billing")
    assert await topic_and_team(h, SECOND_TICKET) == (SECOND, "billing")
    assert (await topic_and_team(h, FIRST_TICKET))[0].startswith("My parcel never arrived")


@pytest.mark.parametrize("platform", sorted(CHATS))
async def test_g2_an_answered_question_lends_neither_topic_nor_team_to_the_next_request(
    platform: str,
) -> None:
    h = chat(platform)
    await closed_ticket(h)
    await h.say("When will my card arrive?")  # answered by the knowledge base
    await h.click("kb_yes", "card-arrival")
    calm, which_team = await h.say(ANGRY)
    assert calm.startswith("I hear you, and I understand how frustrating this is.")
    assert which_team == "Which team should look at this?"  # the card question's team is gone
    handed_over = " ".join(await h.click("pick_department", "orders"))
    assert f"(ticket {SECOND_TICKET})" in handed_over
    assert await topic_and_team(h, SECOND_TICKET) == (ANGRY, "orders")
