"""Uncovered questions are collected and grouped so the knowledge base can grow (G1, G6)."""

from __future__ import annotations

from bot.kb.gaps import describe, group_gaps
from bot.kb.live import LiveKnowledgeBase
from tests.fakes import Harness
from tests.kb_samples import ENTRIES


def lookup(
    text: str, outcome: str, helpful: bool | None = None, language: str = "en"
) -> dict[str, object]:
    return {"text": text, "outcome": outcome, "helpful": helpful, "language": language}


def test_g1_similar_uncovered_questions_form_one_group_most_frequent_first() -> None:
    gaps = group_gaps(
        [
            lookup("Do you ship to Iceland?", "unknown"),
            lookup("Can I pay with PayPal?", "unknown"),
            lookup("do you ship to iceland", "suggested"),
            lookup("Do you deliver to Iceland?", "unknown", language="en"),
            lookup("When will my card arrive?", "answered", helpful=True),
            lookup("Where is my refund", "answered", helpful=False),
        ]
    )
    assert [gap.count for gap in gaps] == [3, 1, 1]
    assert gaps[0].example == "Do you ship to Iceland?"
    assert {g.example for g in gaps[1:]} == {"Can I pay with PayPal?", "Where is my refund"}


def test_g6_describe_prints_counts_languages_and_examples() -> None:
    gaps = group_gaps(
        [
            lookup("Do you ship to Iceland?", "unknown"),
            lookup("do you ship to iceland", "unknown", language="de"),
        ]
    )
    assert describe(gaps, 10) == (
        "   2x [de, en] Do you ship to Iceland?  (also: do you ship to iceland)"
    )
    assert describe([], 10) == "No uncovered questions recorded yet."


async def test_g1_staff_see_the_gaps_from_real_conversations() -> None:
    h = Harness(name="Anna", kb=LiveKnowledgeBase.of(ENTRIES))
    await h.say("Do you ship to Iceland?")
    await h.another_customer("Bo").say("Do you ship to Iceland at all?")
    await h.another_customer("Cy").say("When will my card arrive?")
    (text,) = await h.command("gaps")
    assert text.splitlines()[0].startswith("   2x [en] Do you ship to Iceland?")
    assert "card" not in text
