"""Opening a conversation: playbook A1-A4 through the Harness."""

from __future__ import annotations

from bot.models import Role
from tests.fakes import Harness


async def test_a1_greets_says_it_is_a_bot_and_asks_the_request_when_name_is_known() -> None:
    h = Harness(name="Anna")
    replies = await h.say("Hi!")
    assert replies[0].startswith("Hi Anna!")
    assert "support bot, an automated assistant" in replies[0]
    assert replies[1] == "What can I help you with today, Anna?"


async def test_a1_asks_the_name_when_the_platform_does_not_give_it() -> None:
    h = Harness()
    replies = await h.say("hello")
    assert replies == [
        "Hi! I'm the Brightwave support bot, an automated assistant. "
        "A person from our team can take over at any time.",
        "What's your name?",
    ]
    # the name once a message (A2): not "Nice to meet you, Anna. ... today, Anna?"
    assert await h.say("anna") == ["Nice to meet you, Anna. What can I help you with today?"]


async def test_a1_does_not_ask_what_it_is_about_when_the_first_message_says_it() -> None:
    h = Harness(name="Anna")
    replies = await h.say("My new router keeps dropping the connection every evening")
    assert len(replies) == 3  # greeting, "let me find that out", the ticket and queue place
    assert "What can I help you with" not in " ".join(replies)
    assert replies[1] == "Let me find that out for you. I'll get a colleague to help with this."


async def test_a2_a_name_volunteered_in_the_first_message_is_used_from_then_on() -> None:
    h = Harness()
    replies = await h.say("Hi, I'm Maria. My invoice shows the wrong amount")
    assert replies[0].startswith("Hi Maria!")
    assert replies[1] == "Let me find that out for you. I'll get a colleague to help with this."
    conversation = await h.bot.services.conversations.get(h.address.key)
    assert conversation is not None
    assert conversation.name == "Maria"


async def test_a2_casual_phrases_are_not_mistaken_for_a_name() -> None:
    h = Harness()
    replies = await h.say("I'm locked out of my account")
    assert replies[0].startswith("Hi! ")
    assert replies[1] == "What's your name?"


async def test_a1_a_customer_who_skips_the_name_question_is_not_nagged() -> None:
    h = Harness()
    await h.say("hi")
    replies = await h.say("I was charged twice for my order")
    assert replies[0] == (
        "No problem. Let me find that out for you. I'll get a colleague to help with this."
    )
    assert replies[1].startswith("I've passed this to our support team (ticket T-1001).")


async def test_a1_a_bare_greeting_in_answer_to_the_topic_question_gets_a_gentle_nudge() -> None:
    h = Harness(name="Anna")
    await h.say("hello")
    assert await h.say("hi again") == [
        "Tell me in a sentence or two what it's about, and I'll take it from there."
    ]
    assert (await h.say("My parcel never arrived"))[0].startswith("Let me find that out")


async def test_b1_further_messages_are_acknowledged_once_not_after_every_line() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    assert await h.say("It was order 5512") == [
        "Thanks, I've added that to your ticket T-1001; the team sees it."
    ]
    assert await h.say("It should have come on Friday") == []
    assert await h.say("Also the tracking link is broken") == []


async def test_b3_every_message_both_ways_is_recorded_in_order() -> None:
    h = Harness(name="Anna")
    await h.say("hello")
    await h.say("My parcel never arrived")
    messages = await h.transcript()
    assert [m.seq for m in messages] == [1, 2, 3, 4, 5, 6]
    assert [m.role for m in messages] == [
        Role.CUSTOMER,
        Role.BOT,
        Role.BOT,
        Role.CUSTOMER,
        Role.BOT,
        Role.BOT,
    ]
    assert messages[3].text == "My parcel never arrived"
    assert messages[3].author == "Anna"


async def test_a4_replies_are_short() -> None:
    h = Harness(name="Anna")
    replies = await h.say("hello") + await h.say("My parcel never arrived")
    assert all(len(reply) <= 160 for reply in replies)


async def test_huge_message_gets_a_polite_error_and_nothing_is_recorded() -> None:
    h = Harness(name="Anna")
    replies = await h.say("x" * 5000)
    assert replies == [
        "That message is too long (5,000 characters; the limit is 4,000). "
        "Please split it into shorter messages."
    ]
    assert await h.transcript() == []


async def test_garbled_text_is_cleaned_before_anyone_sees_it() -> None:
    h = Harness(name="Anna")
    await h.say("hello\x00\x07 \ud800there\u202e")
    assert (await h.transcript())[0].text == "hello \ufffdthere"


async def test_an_empty_message_is_answered_not_recorded() -> None:
    h = Harness(name="Anna")
    assert await h.say(" \u200b ") == ["That message was empty. What can I help you with?"]
    assert await h.transcript() == []


async def test_a_stale_button_gets_a_polite_answer() -> None:
    h = Harness(name="Anna")
    await h.say("hello")
    assert await h.click("nothing-like-this", "1") == [
        "That button is no longer active. Just write your question and I'll help."
    ]


async def test_b1_the_bot_stays_quiet_while_a_person_is_answering() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    await h.command("reply", "C-1 Hi Anna, I'm looking into it.")
    assert await h.say("Thanks! It was order 5512") == []


async def test_b3_a_lost_conversation_save_never_makes_a_message_overwrite_another() -> None:
    h = Harness(name="Anna")
    await h.say("My parcel never arrived")
    stale = await h.store.get("conversations", h.address.key)
    await h.say("It was order 5512")
    assert stale is not None
    await h.store.put("conversations", h.address.key, stale)  # as if the last save was lost
    await h.say("It should have come on Friday")
    texts = [m.text for m in await h.transcript()]
    assert texts[-3:] == [
        "It was order 5512",
        "Thanks, I've added that to your ticket T-1001; the team sees it.",
        "It should have come on Friday",
    ]
    assert [m.seq for m in await h.transcript()] == list(range(1, len(texts) + 1))
