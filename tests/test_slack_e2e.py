"""Slack end to end: the real slack-bolt app over signed HTTP against a local fake Slack."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.models import Address, Reply
from tests.slack_fake import event_body, post_signed
from tests.slack_rig import (
    ANNA,
    BEN,
    SAM,
    SECRET,
    SUPPORT,
    Message,
    SlackRig,
    blocks_text,
    slack_rig,
    texts,
)

DATA = Path(__file__).parent.parent / "data"
PARCEL = "My parcel never arrived"


@pytest.fixture(scope="module")
def sample_kb() -> LiveKnowledgeBase:
    departments = frozenset(load_departments(DATA))
    return asyncio.run(LiveKnowledgeBase.open(DATA / "kb", departments))


async def test_the_handoff_on_slack_from_question_to_rating(sample_kb: LiveKnowledgeBase) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        fake = rig.fake
        root = await rig.say(ANNA, PARCEL)
        greeting, answer, question = await rig.wait_thread(SUPPORT, root, 3)
        assert texts([greeting])[0].startswith("Hi Anna! I'm the Brightwave support bot")
        assert "a delayed or missing parcel" in texts([answer])[0]
        assert texts([question]) == ["Did that answer your question?"]

        await rig.click(ANNA, question, "No, not really")
        handed = await rig.wait_thread(SUPPORT, root, 5)
        assert "ticket T-1001" in texts(handed)[-1]
        closed = fake.history[SUPPORT][question["ts"]]["blocks"]
        assert [b["type"] for b in closed] == ["section", "context"]  # the question is answered

        card = await rig.card("C-ORDERS")
        assert card["blocks"][0]["text"]["text"] == "Ticket T-1001 · Orders and delivery · waiting"
        assert "Anna · slack" in blocks_text(card)
        claim = await rig.click(SAM, card, "Claim")
        [claimed] = await fake.wait_for(lambda: fake.responses(claim))
        assert claimed["response_type"] == "ephemeral"
        assert "You have T-1001: Anna (en)" in claimed["text"]
        assert "Answer with /support reply T-1001 &lt;text&gt;" in claimed["text"]  # as typed here
        told = await rig.wait_thread(SUPPORT, root, 6)
        assert texts(told)[-1].startswith("Hi Anna, this is Sam from our Orders and delivery team")
        card = await fake.wait_for(lambda: _updated(fake.history["C-ORDERS"][card["ts"]]))
        assert "claimed" in card["blocks"][0]["text"]["text"]
        assert "actions" not in [b["type"] for b in card["blocks"]]  # nobody else can claim it

        await rig.say(SAM, "Which order number is it?", "C-ORDERS", thread=card["ts"])
        relayed = await rig.wait_thread(SUPPORT, root, 7)
        assert texts(relayed)[-1] == "*Sam (support)*\nWhich order number is it?"
        await rig.say(ANNA, "It is 5512 & it's urgent", SUPPORT, thread=root)
        in_card = await rig.wait_thread("C-ORDERS", card["ts"], 1)
        assert texts(in_card)[-1] == "*Anna*\nIt is 5512 &amp; it's urgent"

        resolved = await rig.command(SAM, "resolve T-1001 Sent a replacement parcel", "C-ORDERS")
        assert resolved["text"] == "Asked the customer to confirm T-1001 is solved."
        asked = (await rig.wait_thread(SUPPORT, root, 8))[-1]
        assert texts([asked])[0].startswith("Here's what we did: Sent a replacement parcel")
        await rig.click(ANNA, asked, "Yes, it's solved")
        rate = (await rig.wait_thread(SUPPORT, root, 9))[-1]
        assert texts([rate])[0].startswith("Thank you for confirming! How would you rate")
        await rig.click(ANNA, rate, "5")
        await rig.wait_thread(SUPPORT, root, 10)
        ticket = await rig.bot.services.desk.get("T-1001")
        assert ticket is not None
        assert (ticket.status.value, ticket.rating) == ("closed", 5)
        final = await fake.wait_for(
            lambda: "closed" in fake.history["C-ORDERS"][card["ts"]]["blocks"][0]["text"]["text"]
        )
        assert final


def _updated(message: dict[str, object]) -> dict[str, object] | None:
    return message if "edited" in message else None


async def open_ticket(rig: SlackRig) -> tuple[str, Message]:
    """Anna's parcel question, "did not help", and the card of T-1001 in the orders queue."""
    root = await rig.say(ANNA, PARCEL)
    question = (await rig.wait_thread(SUPPORT, root, 3))[-1]
    await rig.click(ANNA, question, "No, not really")
    await rig.wait_thread(SUPPORT, root, 5)
    return root, await rig.card("C-ORDERS")


async def test_a_bad_signature_or_a_stale_timestamp_is_rejected() -> None:
    async with slack_rig() as rig:
        event = {"type": "message", "user": ANNA, "text": "hi", "channel": SUPPORT, "ts": "1.2"}
        body = event_body(event, "Ev-forged")
        assert (await post_signed(rig.session, rig.url, body, "not-the-secret"))[0] == 401
        stale = int(time.time()) - 6 * 60
        assert (await post_signed(rig.session, rig.url, body, SECRET, timestamp=stale))[0] == 401
        await asyncio.sleep(0.1)
        assert rig.fake.calls("chat.postMessage") == []
        assert await rig.bot.services.conversations.open_ones() == []


async def test_an_event_slack_delivers_again_is_answered_once() -> None:
    async with slack_rig() as rig:
        event = {"type": "message", "user": ANNA, "text": "hello", "channel": SUPPORT}
        event |= {"ts": "1700000500.000100", "channel_type": "channel"}
        assert await rig.event(event, "Ev-once") == 200
        first = await rig.wait_thread(SUPPORT, "1700000500.000100", 2)
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert await rig.event(event, "Ev-once", **retry) == 200
        await asyncio.sleep(0.3)
        assert rig.thread(SUPPORT, "1700000500.000100") == first
        [conv] = await rig.bot.services.conversations.open_ones()
        said = await rig.bot.services.transcript.after(conv.key, 0)
        assert [m.text for m in said if m.role.value == "customer"] == ["hello"]


async def test_a_rate_limited_post_is_retried_after_retry_after_in_order() -> None:
    async with slack_rig() as rig:
        rig.fake.rate_limit("chat.postMessage", times=1, retry_after=1)
        started = time.monotonic()
        root = await rig.say(ANNA, "hello")
        assert time.monotonic() - started < 0.5  # acknowledged at once; the work goes on after
        replies = await rig.wait_thread(SUPPORT, root, 2)
        limited, retried, *_ = rig.fake.calls("chat.postMessage")
        assert (limited.status, retried.status) == (429, 200)
        assert retried.at - limited.at >= 1.0
        assert limited["text"] == retried["text"] == replies[0]["text"]
        assert texts(replies)[0].startswith("Hi Anna!")


async def test_posts_to_one_channel_are_paced_without_loss_or_reordering() -> None:
    async with slack_rig(pace=0.06) as rig:
        rig.fake.pace_channels(min_interval=0.05)  # the fake answers 429 to anything faster
        chat = rig.bot.services.chats["slack"]
        where = Address("slack", SUPPORT, "1700000000.000100")
        await asyncio.gather(*(chat.send(where, Reply(f"part {n}")) for n in range(6)))
        assert [m["text"] for m in rig.fake.messages(SUPPORT)] == [f"part {n}" for n in range(6)]
        assert {call.status for call in rig.fake.calls("chat.postMessage")} == {200}
        assert (rig.fake.min_gap(SUPPORT) or 0) >= 0.05


async def test_a_customer_running_a_staff_command_is_refused_privately() -> None:
    async with slack_rig() as rig:
        answer = await rig.command(ANNA, "claim T-12")
        assert answer["response_type"] == "ephemeral"
        assert answer["text"] == (
            "Sorry, /support claim is for our support staff. "
            "Just write your question here and we'll help you."
        )
        assert rig.fake.calls("chat.postMessage") == []


async def test_at_channel_and_mentions_from_a_customer_reach_staff_harmlessly(
    sample_kb: LiveKnowledgeBase,
) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        root, card = await open_ticket(rig)
        text = "<!channel> <!here> <@U-SAM> see <https://evil.example|this> &lt;b&gt; *now*"
        await rig.say(ANNA, text, SUPPORT, thread=root)
        [relayed] = await rig.wait_thread("C-ORDERS", card["ts"], 1)
        shown = "*Anna*\n@channel @here @Sam see this (https://evil.example) &lt;b&gt; *now*"
        assert texts([relayed]) == [shown]
        assert relayed["text"] == shown
        for message in [relayed, card]:
            assert "<" not in message["text"] + blocks_text(message)
        posted = rig.fake.calls("chat.postMessage")
        assert not any("link_names" in c.params or "parse" in c.params for c in posted)


async def test_a_long_customer_message_is_relayed_whole_in_sections(
    sample_kb: LiveKnowledgeBase,
) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        root, card = await open_ticket(rig)
        long_text = " ".join(f"word{n}&" for n in range(420))  # 3,700 characters; 5,400 escaped
        await rig.say(ANNA, long_text, SUPPORT, thread=root)
        [relayed] = await rig.wait_thread("C-ORDERS", card["ts"], 1)
        sections = [b["text"]["text"] for b in relayed["blocks"] if b["type"] == "section"]
        assert len(sections) > 1
        assert all(len(s) <= 3000 for s in sections)
        joined = " ".join(sections).removeprefix("*Anna*\n")
        assert joined.split() == long_text.replace("&", "&amp;").split()


async def test_only_the_customer_may_click_their_buttons(sample_kb: LiveKnowledgeBase) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        root = await rig.say(ANNA, PARCEL)
        question = (await rig.wait_thread(SUPPORT, root, 3))[-1]
        name = await rig.click(BEN, question, "No, not really")
        [refused] = await rig.fake.wait_for(lambda: rig.fake.responses(name))
        assert refused["text"] == (
            "These buttons are for Anna. If you need help yourself, just write to me."
        )
        assert refused["response_type"] == "ephemeral"
        await asyncio.sleep(0.2)
        assert len(rig.thread(SUPPORT, root)) == 3
        assert await rig.bot.services.desk.get("T-1001") is None


async def test_only_staff_answer_in_a_card_thread(sample_kb: LiveKnowledgeBase) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        root, card = await open_ticket(rig)
        await rig.say(BEN, "I can answer that!", "C-ORDERS", thread=card["ts"])
        [whisper] = await rig.fake.wait_for_calls("chat.postEphemeral")
        assert (whisper["user"], whisper["channel"], whisper["thread_ts"]) == (
            BEN,
            "C-ORDERS",
            card["ts"],
        )
        assert whisper["text"].startswith("Sorry, /support reply is for our support staff.")
        await asyncio.sleep(0.1)
        assert len(rig.thread(SUPPORT, root)) == 5  # nothing reached Anna


async def test_direct_messages_and_mentions_start_threads_and_the_rest_is_ignored() -> None:
    async with slack_rig() as rig:
        dm = await rig.say(ANNA, "hello there", "D-ANNA", channel_type="im")
        assert texts(await rig.wait_thread("D-ANNA", dm, 2))[0].startswith("Hi Anna!")
        await rig.say(ANNA, "about my invoice", "D-ANNA", thread=dm, channel_type="im")
        await rig.wait_thread("D-ANNA", dm, 3)
        await rig.say(ANNA, "just chatting", "C-RANDOM")  # not a support channel
        mention = {"type": "app_mention", "user": BEN, "channel": "C-RANDOM"}
        mention |= {"text": "<@UBOT> hello", "ts": "1700000900.000100"}
        await rig.event(mention)
        await rig.event(mention | {"type": "message", "channel_type": "channel"})  # its twin
        answered = await rig.wait_thread("C-RANDOM", "1700000900.000100", 2)
        assert texts(answered)[0].startswith("Hi Ben!")
        await asyncio.sleep(0.2)
        before = len(rig.thread("C-RANDOM", "1700000900.000100"))
        await rig.say(BEN, "it's about my order", "C-RANDOM", thread="1700000900.000100")
        await rig.wait_thread("C-RANDOM", "1700000900.000100", before + 1)  # no mention needed
        await rig.say(SAM, "Announcement: new opening hours", SUPPORT)  # staff, not a customer
        await rig.say(ANNA, "edited", SUPPORT, subtype="message_changed")
        await rig.say(ANNA, "from a bot", SUPPORT, bot_id="B-OTHER")
        await asyncio.sleep(0.3)
        assert rig.fake.messages(SUPPORT) == []
        assert {m["thread_ts"] for m in rig.fake.messages("C-RANDOM")} == {"1700000900.000100"}
        looked_up = [call["user"] for call in rig.fake.calls("users.info")]
        assert sorted(looked_up) == [ANNA, BEN, SAM]  # each name fetched once, then cached


async def test_a_request_filed_from_slack_gets_its_own_thread(sample_kb: LiveKnowledgeBase) -> None:
    async with slack_rig(kb=sample_kb) as rig:
        filed = await rig.command(SAM, "request billing Credit note for order 5512", "C-ORDERS")
        assert filed["text"].startswith("Request R-")
        [top] = await rig.fake.wait_for(lambda: rig.fake.messages("C-ORDERS"))
        assert "thread_ts" not in top
        assert top["text"].startswith("Request R-")
        card = await rig.card("C-BILLING")
        await rig.say(SAM, "It's for customer 99812", "C-ORDERS", thread=top["ts"])
        [relayed] = await rig.wait_thread("C-BILLING", card["ts"], 1)
        assert texts([relayed]) == ["*Sam*\nIt's for customer 99812"]
