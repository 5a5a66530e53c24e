"""Answering from the knowledge base: B2 understood, C1 answer, C2 did it help, C3/C5 honesty."""

from __future__ import annotations

from bot.conversation import Stage
from bot.kb.entries import Candidate, Lookup
from bot.kb.live import LiveKnowledgeBase
from tests.fakes import FakeKnowledgeBase, Harness
from tests.kb_samples import ENTRIES


def harness(name: str = "Anna") -> Harness:
    return Harness(name=name, kb=LiveKnowledgeBase.of(ENTRIES))


async def test_b2_c1_c2_says_what_it_understood_answers_then_checks_it_helped() -> None:
    h = harness()
    replies = await h.say("When will my card arrive?")
    assert replies[1] == (
        "I understand you're asking about: when your card arrives.\n\n"
        "Cards arrive within 5 working days."
    )
    assert replies[2] == "Did that answer your question?"
    assert h.buttons() == [
        ("Yes, thanks", "kb_yes", "card-arrival"),
        ("No, not really", "kb_no", "card-arrival"),
    ]


async def test_c2_yes_is_thanked_and_recorded() -> None:
    h = harness()
    await h.say("When will my card arrive?")
    assert await h.click("kb_yes", "card-arrival") == [
        "Glad I could help! Anything else I can do for you?"
    ]
    (record,) = await h.store.find("kb_lookups")
    assert record["helpful"] is True
    assert record["entry_id"] == "card-arrival"
    assert record["text"] == "When will my card arrive?"
    assert 0 < record["score"] <= 1


async def test_c2_no_offers_the_other_close_entries() -> None:
    close = Lookup(
        "card-arrival",
        0.6,
        "en",
        (Candidate("refund-status", 0.3),),
        Candidate("card-arrival", 0.6),
    )
    h = Harness(name="Anna", kb=FakeKnowledgeBase(close, ENTRIES))
    await h.say("When will my card arrive?")
    assert await h.click("kb_no", "card-arrival") == ["Sorry about that. Is it one of these?"]
    assert h.buttons() == [
        ("the status of your refund", "kb_pick", "refund-status"),
        ("Talk to a person", "kb_person", ""),
    ]
    (record,) = await h.store.find("kb_lookups")
    assert record["helpful"] is False


async def test_c2_c5_no_with_nothing_closer_brings_a_person() -> None:
    sure = Lookup("card-arrival", 0.9, "en", (), Candidate("card-arrival", 0.9))
    h = Harness(name="Anna", kb=FakeKnowledgeBase(sure, ENTRIES))
    await h.say("When will my card arrive?")
    replies = await h.click("kb_no", "card-arrival")
    assert replies[0] == "Let me find that out for you. I'll get a colleague to help with this."
    assert replies[1].startswith("I've passed this to our billing team (ticket T-1001).")


async def test_c3_c5_an_uncovered_question_gets_a_person_not_a_guess() -> None:
    h = harness()
    replies = await h.say("Can you recommend a good recipe for lasagne with spinach?")
    assert replies[-2] == "Let me find that out for you. I'll get a colleague to help with this."
    assert replies[-1] == (
        "I've passed this to our support team (ticket T-1001). You're number 1 in the queue. "
        "I can't estimate the wait yet, but the answer will come right here."
    )
    assert (await h.conversation()).stage is Stage.WITH_PERSON
    (record,) = await h.store.find("kb_lookups")
    assert (record["outcome"], record["entry_id"]) == ("unknown", None)


async def test_picking_an_offered_entry_answers_it() -> None:
    h = harness()
    await h.say("hello")
    replies = await h.click("kb_pick", "refund-status")
    assert replies[0].startswith("I understand you're asking about: the status of your refund.")
    assert h.buttons()[0] == ("Yes, thanks", "kb_yes", "refund-status")


async def test_talk_to_a_person_button_finds_a_person() -> None:
    h = harness()
    await h.say("hello")
    replies = await h.click("kb_person")
    assert replies[0] == "Let me find that out for you. I'll get a colleague to help with this."
    assert replies[1].startswith("I've passed this to our support team (ticket T-1001).")


async def test_a4_a_german_question_is_answered_in_german() -> None:
    h = harness()
    replies = await h.say("Hallo, wann kommt meine Karte an?")
    assert (await h.conversation()).language == "de"
    assert "Karten kommen innerhalb von 5 Werktagen an." in replies[1]
    assert "understand" not in " ".join(replies)


async def test_a4_the_customer_can_switch_language_explicitly() -> None:
    h = harness()
    await h.say("When will my card arrive?")
    replies = await h.say("auf Deutsch bitte")
    assert (await h.conversation()).language == "de"
    assert "Deutsch" in replies[0]


async def test_b3_every_question_and_match_is_recorded() -> None:
    h = harness()
    await h.say("When will my card arrive?")
    await h.say("and how do I reset my password")
    records = await h.store.find("kb_lookups")
    assert [r["entry_id"] for r in records] == ["card-arrival", "reset-password"]
    assert [r["seq"] for r in records] == [1, 5]  # greeting, answer and check in between
