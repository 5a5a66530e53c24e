"""End to end: the real bot and discord.py client against the local fake Discord."""

from __future__ import annotations

import logging

import pytest

from bot.handlers.commands import COMMANDS
from bot.kb.live import LiveKnowledgeBase
from bot.tickets.model import Status
from tests.discord_fake import (
    CUSTOMER,
    GENERAL_CHANNEL_ID,
    GUILD_ID,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    QUEUE_CHANNEL_ID,
    STAFF,
    STAFF_ROLE_ID,
    FakeDiscord,
    FakeMember,
    FakeUser,
    wait_until,
)
from tests.discord_rig import JSON, DiscordRig, button, buttons, last_with_buttons, rig

PIA = FakeUser(300_000_000_000_000_009, "pia", global_name="Pia")  # staff in packaging
PARCEL = "hi, how long will it take for my parcel to get here"
HANDED_OVER = (
    "I've passed this to our Orders and delivery team (ticket T-1001). You're number 1 in the "
    "queue. I can't estimate the wait yet, but the answer will come right here."
)


async def hand_over(desk: DiscordRig) -> int:
    """A customer DMs a question, says the answer did not help: ticket T-1001 and its card."""
    fake = desk.fake
    dm = fake.dm_channel(CUSTOMER)
    await fake.message_create(dm, CUSTOMER, PARCEL)
    await desk.wait_texts(dm, 3)
    question = last_with_buttons(desk.sent(dm))
    await fake.button_click(int(question["id"]), button(question, "No, not really"), user=CUSTOMER)
    await wait_until(lambda: HANDED_OVER in desk.texts(dm))
    await desk.settled()
    return dm


def card(desk: DiscordRig) -> JSON:
    cards = [m for m in desk.sent(QUEUE_CHANNEL_ID) if m["embeds"]]
    assert len(cards) == 1
    return cards[0]


async def private_answer(fake: FakeDiscord, interaction: JSON) -> str:
    """The text a staff member sees privately for a command or click."""
    iid = int(str(interaction["id"]))
    original = await wait_until(lambda: (fake.original_response(iid) or {}).get("content"))
    [response] = fake.interaction_responses(iid)
    assert (response.type, response.ephemeral) == (5, True)  # deferred at once, privately
    return str(original)


async def test_dm_to_handoff_claim_relay_resolve_and_rating(desk: DiscordRig) -> None:
    fake = desk.fake
    dm = await hand_over(desk)
    asked = next(m for m in desk.sent(dm) if m["content"] == "Did that answer your question?")
    assert [(b["label"], b["disabled"]) for b in buttons(asked)] == [("✓ No, not really", True)]
    posted = card(desk)
    [embed] = posted["embeds"]
    assert embed["title"] == "Ticket T-1001 · Orders and delivery · waiting"
    assert embed["description"] == PARCEL
    assert {"name": "Customer", "value": "Alice · discord", "inline": True} in embed["fields"]
    assert [b["label"] for b in buttons(posted)] == ["Claim"]
    [thread] = [t for t in fake.threads() if t["id"] == posted["id"]]
    assert thread["type"] == PUBLIC_THREAD

    claim = button(posted, "Claim")
    click = await fake.button_click(int(str(posted["id"])), claim, user=STAFF)
    claimed = await private_answer(fake, click)
    assert "T-1001" in claimed
    assert "/support reply T-1001" in claimed  # as commands are typed on Discord
    assert "/reply" not in claimed.replace("/support reply", "")
    await wait_until(lambda: "this is Sam from our Orders and delivery team" in desk.texts(dm)[-1])
    await desk.settled()
    updated = fake.message(int(str(posted["id"])))
    assert updated["embeds"][0]["title"] == "Ticket T-1001 · Orders and delivery · claimed"
    assert updated["components"] == []

    await fake.message_create(dm, CUSTOMER, "It was order 5512, @everyone knows")
    in_thread = await wait_until(lambda: desk.sent(int(thread["id"])))
    assert in_thread[-1]["content"] == "**Alice**\nIt was order 5512, @everyone knows"
    assert in_thread[-1]["allowed_mentions"]["parse"] == []
    await fake.message_create(int(thread["id"]), STAFF, "Found it: it ships today.")
    await wait_until(lambda: desk.texts(dm)[-1] == "**Sam (support)**\nFound it: it ships today.")
    assert desk.texts(int(thread["id"]))[-1] == "**Alice**\nIt was order 5512, @everyone knows"

    resolve = await fake.slash_command(
        "support resolve",
        user=STAFF,
        channel_id=QUEUE_CHANNEL_ID,
        options={"args": "T-1001 Sent the tracking link"},
    )
    assert "T-1001" in await private_answer(fake, resolve)
    summary = await wait_until(lambda: last_with_buttons(desk.sent(dm)))
    await wait_until(
        lambda: "Sent the tracking link" in last_with_buttons(desk.sent(dm))["content"]
    )
    summary = last_with_buttons(desk.sent(dm))
    await fake.button_click(int(summary["id"]), button(summary, "Yes, it's solved"), user=CUSTOMER)
    rating = await wait_until(
        lambda: [m for m in desk.sent(dm) if any(b["label"] == "5" for b in buttons(m))]
    )
    await fake.button_click(int(rating[0]["id"]), button(rating[0], "5"), user=CUSTOMER)
    await wait_until(lambda: desk.texts(dm)[-1].startswith("Thank you! Anything you'd like"))
    ticket = await desk.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.CLOSED
    every = [m for c in (dm, QUEUE_CHANNEL_ID, int(thread["id"])) for m in desk.sent(c)]
    assert all(m["allowed_mentions"]["parse"] == [] for m in every)


async def test_the_panel_button_opens_a_private_thread_with_the_customer(desk: DiscordRig) -> None:
    fake = desk.fake
    [panel] = await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
    assert "Get help" in [b["label"] for b in buttons(panel)]
    click = await fake.button_click(int(panel["id"]), button(panel, "Get help"), user=CUSTOMER)
    [thread] = await wait_until(fake.threads)
    assert (thread["type"], thread["parent_id"]) == (PRIVATE_THREAD, str(GENERAL_CHANNEL_ID))
    assert thread["thread_metadata"]["invitable"] is False
    assert CUSTOMER.id in fake.thread_members(int(thread["id"]))
    answer = await private_answer(fake, click)
    assert answer == f"Your private support thread: <#{thread['id']}>"
    tid = int(thread["id"])
    greeting = await desk.wait_texts(tid, 2)
    assert greeting == [
        "Hi Alice! I'm the Brightwave support bot, an automated assistant. A person from our "
        "team can take over at any time.",
        "What can I help you with today, Alice?",
    ]
    await fake.message_create(tid, CUSTOMER, PARCEL)
    texts = await desk.wait_texts(tid, 4)
    assert texts[-1] == "Did that answer your question?"
    again = await fake.slash_command("help", user=CUSTOMER, channel_id=GENERAL_CHANNEL_ID)
    assert await private_answer(fake, again) == answer  # the same thread, not a second one
    assert len(fake.threads()) == 1


async def test_a_question_in_the_support_channel_moves_into_a_private_thread(
    desk: DiscordRig,
) -> None:
    fake = desk.fake
    await wait_until(lambda: desk.sent(GENERAL_CHANNEL_ID))
    await fake.message_create(GENERAL_CHANNEL_ID, CUSTOMER, PARCEL, guild_id=GUILD_ID)
    [thread] = await wait_until(fake.threads)
    texts = await desk.wait_texts(int(thread["id"]), 3)
    assert texts[-1] == "Did that answer your question?"
    pointer = desk.texts(GENERAL_CHANNEL_ID)[-1]
    assert pointer == f"Your private support thread: <#{thread['id']}>"


async def test_a_member_who_is_not_staff_is_refused(desk: DiscordRig) -> None:
    fake = desk.fake
    refused = await fake.slash_command(
        "support claim", user=CUSTOMER, channel_id=GENERAL_CHANNEL_ID, options={"args": "T-1001"}
    )
    assert "staff" in (await private_answer(fake, refused)).lower()
    await hand_over(desk)
    posted = card(desk)
    claim = button(posted, "Claim")
    click = await fake.button_click(int(str(posted["id"])), claim, user=CUSTOMER)
    assert "staff" in (await private_answer(fake, click)).lower()
    ticket = await desk.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.WAITING
    [group] = [c for c in fake.commands() if c["name"] == "support"]
    assert int(group["default_member_permissions"]) == 1 << 34  # Manage Threads
    direct = {o["name"] for o in group["options"]} - {"more"}
    [more] = [o for o in group["options"] if o["name"] == "more"] or [{"options": []}]
    others = {c["value"] for o in more["options"] for c in o.get("choices") or []}
    assert direct | others == set(COMMANDS)
    assert len(group["options"]) <= 25


async def test_buttons_keep_working_after_a_restart(desk: DiscordRig) -> None:
    fake = desk.fake
    dm = fake.dm_channel(CUSTOMER)
    await fake.message_create(dm, CUSTOMER, PARCEL)
    await desk.wait_texts(dm, 3)
    question = last_with_buttons(desk.sent(dm))
    await desk.stop()
    await desk.start()  # a new client: nothing of the old one's views in memory
    await fake.button_click(int(question["id"]), button(question, "No, not really"), user=CUSTOMER)
    await wait_until(lambda: HANDED_OVER in desk.texts(dm))
    await desk.settled()
    posted = card(desk)
    await desk.stop()
    await desk.start()
    claim = button(posted, "Claim")
    click = await fake.button_click(int(str(posted["id"])), claim, user=STAFF)
    assert "T-1001" in await private_answer(fake, click)
    ticket = await desk.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.CLAIMED
    assert len([m for m in desk.sent(QUEUE_CHANNEL_ID) if m["embeds"]]) == 1  # no second card
    assert len(desk.sent(GENERAL_CHANNEL_ID)) == 1  # the panel is not posted again


async def test_every_interaction_is_deferred_before_the_work(desk: DiscordRig) -> None:
    fake = desk.fake
    await hand_over(desk)
    posted = card(desk)
    claim = button(posted, "Claim")
    click = await fake.button_click(int(str(posted["id"])), claim, user=STAFF)
    await private_answer(fake, click)
    await desk.settled()
    paths = [c.path for c in fake.calls]
    deferred = next(i for i, p in enumerate(paths) if p.startswith(f"/interactions/{click['id']}"))
    edited = max(i for i, p in enumerate(paths) if p.endswith(f"/messages/{posted['id']}"))
    assert deferred < edited
    assert all(fake.interaction_responses(int(i)) for i in _interaction_ids(fake))


def _interaction_ids(fake: FakeDiscord) -> list[str]:
    return [d["id"] for e, d in fake.dispatched if e == "INTERACTION_CREATE"]


async def test_a_request_filed_on_discord_gets_a_thread_for_the_requester(desk: DiscordRig) -> None:
    fake = desk.fake
    fake.guild.members.append(FakeMember(PIA, [STAFF_ROLE_ID]))
    filed = await fake.slash_command(
        "support request",
        user=PIA,
        channel_id=GENERAL_CHANNEL_ID,
        options={"args": "billing Please send a credit note for order 5512"},
    )
    assert (await private_answer(fake, filed)).startswith("Request R-301 is with Billing")
    mine = await wait_until(lambda: [t for t in fake.threads() if t["name"] == "R-301"])
    tid = int(mine[0]["id"])
    assert (mine[0]["type"], mine[0]["parent_id"]) == (PUBLIC_THREAD, str(GENERAL_CHANNEL_ID))
    assert PIA.id in fake.thread_members(tid)
    assert desk.texts(tid)[0].startswith("Request R-301 is with Billing")
    await desk.settled()
    posted = card(desk)
    card_thread = int(str(posted["id"]))
    await fake.message_create(tid, PIA, "It is for customer 99812")
    relayed = await wait_until(lambda: desk.texts(card_thread))
    assert relayed == ["**Pia**\nIt is for customer 99812"]
    claim = button(posted, "Claim")
    await private_answer(fake, await fake.button_click(card_thread, claim, user=STAFF))
    await fake.message_create(card_thread, STAFF, "Credit note sent.")
    await wait_until(lambda: desk.texts(tid)[-1] == "**Sam (support)**\nCredit note sent.")
    assert desk.texts(card_thread) == relayed  # a delivered reply is not confirmed in the thread


async def test_a_rate_limited_reply_is_retried_and_sent_once(desk: DiscordRig) -> None:
    fake = desk.fake
    dm = fake.dm_channel(CUSTOMER)
    fake.rate_limit("POST", f"/channels/{dm}/messages", times=1, retry_after=0.2)
    await fake.message_create(dm, CUSTOMER, PARCEL)
    texts = await desk.wait_texts(dm, 3)
    assert texts[0].startswith("Hi Alice!")
    assert len(texts) == 3
    statuses = [c.status for c in fake.calls_to("POST", f"/channels/{dm}/messages")]
    assert statuses == [429, 200, 200, 200]


async def test_a_resumed_gateway_answers_every_message_once(
    desk: DiscordRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supportbot.discord")
    fake = desk.fake
    dm = fake.dm_channel(CUSTOMER)
    first = await fake.message_create(dm, CUSTOMER, PARCEL)
    await desk.wait_texts(dm, 3)
    async with fake.connection_dropped():
        await fake.message_create(dm, CUSTOMER, "How do I return an item?")
    await desk.wait_texts(dm, 5)
    assert [f["d"]["content"] for f in fake.replayed] == ["How do I return an item?"]
    assert (len(fake.frames(2)), len(fake.frames(6))) == (1, 1)  # resumed, not a new session
    await fake.dispatch("MESSAGE_CREATE", first)  # the same event once more
    await wait_until(lambda: "was delivered again" in caplog.text)
    texts = desk.texts(dm)
    assert len(texts) == 5
    assert texts.count("Did that answer your question?") == 2


async def test_a_long_staff_reply_is_split_at_discords_limit_without_losing_text(
    desk: DiscordRig,
) -> None:
    fake = desk.fake
    dm = await hand_over(desk)
    posted = card(desk)
    claim = button(posted, "Claim")
    await private_answer(fake, await fake.button_click(int(str(posted["id"])), claim, user=STAFF))
    await wait_until(lambda: "I'm taking over from here" in desk.texts(dm)[-1])
    before = len(desk.texts(dm))
    long_text = " ".join(f"step{n}" for n in range(500))  # 3,889 characters
    reply = await fake.slash_command(
        "support reply",
        user=STAFF,
        channel_id=QUEUE_CHANNEL_ID,
        options={"args": f"T-1001 {long_text}"},
    )
    assert await private_answer(fake, reply) == "Sent to Alice (C-1)."
    parts = desk.texts(dm)[before:]
    assert len(parts) == 2
    assert all(len(part) <= 2000 for part in parts)
    assert " ".join(parts).split() == ["**Sam", "(support)**", *long_text.split()]


async def test_without_message_content_dms_and_mentions_still_work(
    fake: FakeDiscord, kb: LiveKnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supportbot.discord")
    async with rig(fake, kb, support=[str(GENERAL_CHANNEL_ID)], message_content=False) as desk:
        assert "message_content intent is off" in caplog.text
        assert "Still working: direct messages" in caplog.text
        dm = fake.dm_channel(CUSTOMER)
        await fake.message_create(dm, CUSTOMER, PARCEL)
        assert (await desk.wait_texts(dm, 3))[-1] == "Did that answer your question?"
        invoked = await fake.slash_command("help", user=CUSTOMER, channel_id=GENERAL_CHANNEL_ID)
        answer = await private_answer(fake, invoked)
        assert f"mention me (<@{fake.bot_user.id}>)" in answer
        [thread] = fake.threads()
        tid = int(thread["id"])
        await desk.wait_texts(tid, 2)
        await fake.message_create(tid, CUSTOMER, "hello?")  # unreadable without a mention
        mention = f"<@{fake.bot_user.id}>"
        await fake.message_create(tid, CUSTOMER, f"{mention} {PARCEL}", mentions=[fake.bot_user])
        texts = await desk.wait_texts(tid, 4)
        assert texts[-1] == "Did that answer your question?"
        assert texts[-2].startswith("I understand you're asking about: delivery times")
        assert len(desk.texts(tid)) == 4
