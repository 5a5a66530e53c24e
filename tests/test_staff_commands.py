"""Staff commands through the core: permissions, errors, listing, reading and replying."""

from __future__ import annotations

from bot.handlers.commands import COMMANDS
from bot.models import Role
from tests.fakes import Harness


async def test_a_customer_running_a_staff_command_gets_a_polite_refusal() -> None:
    h = Harness(name="Anna")
    await h.say("hello")
    replies = await h.command("conversations", as_customer=True)
    assert replies == [
        "Sorry, /conversations is for our support staff. "
        "Just write your question here and we'll help you."
    ]


async def test_an_unknown_command_lists_the_valid_ones() -> None:
    h = Harness()
    (text,) = await h.command("clam", "C-1")
    valid = ", ".join(f"/{name}" for name in sorted(COMMANDS))
    assert text == f"I don't know /clam. Valid commands: {valid}. Type /help for details."
    assert "/claim" in valid
    assert "/reply" in valid


async def test_help_lists_every_command_with_its_usage() -> None:
    h = Harness()
    (text,) = await h.command("help")
    assert (
        "/reply <conversation|ticket|request> <text> - send a message to the customer, "
        "or on an internal request to the other side" in text
    )
    assert "/request [department] <text>  or  /request <R-id> - ask another department" in text
    assert "/show <conversation>" in text


async def test_conversations_lists_open_ones_newest_first() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    h.clock.advance(minutes=1)
    await h.another_customer("Bob").say("I was charged twice")
    (text,) = await h.command("conversations")
    lines = text.splitlines()
    assert lines[0] == "Open conversations (newest first):"
    assert lines[1] == "C-2 · Bob · web · en · I was charged twice"
    assert lines[2] == "C-1 · Anna · web · en · My parcel never arrived"


async def test_conversations_says_so_when_there_are_none() -> None:
    h = Harness()
    assert await h.command("conversations") == ["No open conversations right now."]


async def test_reply_reaches_the_customer_and_the_transcript() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    assert await h.command("reply", "C-1 Sorry about that, I'm checking now.") == [
        "Sent to Anna (C-1)."
    ]
    address, sent = h.chat.sent[-1]
    assert address == h.address
    assert sent.text == "Sorry about that, I'm checking now."
    assert sent.author == "Sam Staff (support)"
    last = (await h.transcript())[-1]
    assert (last.role, last.author, last.text) == (Role.STAFF, "Sam Staff", sent.text)


async def test_reply_accepts_a_bare_number_and_lower_case_ref() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    assert await h.command("reply", "1 On it.") == ["Sent to Anna (C-1)."]
    assert await h.command("reply", "c-1 Still on it.") == ["Sent to Anna (C-1)."]


async def test_reply_to_an_unknown_conversation_says_so() -> None:
    h = Harness()
    assert await h.command("reply", "C-99 hello") == [
        "I can't find conversation C-99. Type /conversations to see the open ones."
    ]


async def test_reply_without_text_shows_the_usage() -> None:
    h = Harness()
    assert await h.command("reply", "C-1") == ["Usage: /reply <conversation|ticket|request> <text>"]


async def test_a_failed_delivery_keeps_the_message_and_tells_staff() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    h.chat.failure = ConnectionError("platform unreachable")
    (text,) = await h.command("reply", "C-1 Checking now.")
    assert text.startswith("Saved in C-1, but delivery to web failed: platform unreachable.")
    assert (await h.transcript())[-1].text == "Checking now."


async def test_show_prints_the_transcript_with_authors() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    await h.command("reply", "C-1 Checking now.")
    (text,) = await h.command("show", "C-1")
    assert "Anna: My parcel never arrived" in text
    assert "Sam Staff: Checking now." in text
