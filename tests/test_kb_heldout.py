"""The sample knowledge base on customer messages it was not built from (issue 12, item 7),
and the matcher change that raised its recall: entry titles count as example questions."""

from __future__ import annotations

import pytest

from benchmarks.kb_heldout import open_sample_kb, read_queries, tally
from bot.kb.entries import Entry
from bot.kb.live import LiveKnowledgeBase
from bot.kb.matcher import Matcher


@pytest.fixture(scope="module")
def sample_kb() -> LiveKnowledgeBase:
    return open_sample_kb()


def test_c1_every_language_is_answered_right_mostly(sample_kb: LiveKnowledgeBase) -> None:
    """Per language (tests/test_sample_kb_heldout.py guards the totals): a floor under today's
    figures, English the lowest (README: the per-language table)."""
    tallies = tally(sample_kb, read_queries())
    del tallies["all"]
    for language, counts in tallies.items():
        assert counts.share(counts.right) >= 0.70, (language, counts.misses)
        assert counts.share(counts.wrong) <= 0.13, (language, counts.misses)


@pytest.mark.parametrize(
    "question",
    [
        "Dobrý deň, do kedy môžem vrátiť tovar?",
        "Aká je lehota na vrátenie?",
        "Dá sa tovar vrátiť aj po 14 dňoch?",
        "Mám právo odstúpiť od zmluvy pri kúpe cez internet?",
        "Dobry den, chcel by som vratit objednany tovar, ake su podmienky?",
        "Kann ich Ware zurückschicken, die mir nicht gefällt?",
        "Hur returnerar jag en vara jag inte vill ha?",
        "How do I send something back?",
    ],
)
def test_c1_return_policy_questions_are_answered_in_slovak_too(
    sample_kb: LiveKnowledgeBase, question: str
) -> None:
    assert sample_kb.lookup(question, None).entry_id == "return-item"


def _entry(entry_id: str, title: str, questions: list[str]) -> Entry:
    return Entry(entry_id, {"en": tuple(questions)}, {"en": "..."}, title={"en": title})


def test_a_title_is_one_more_example_question() -> None:
    entries = [
        _entry("loyalty", "loyalty programme", ["How do I collect points?", "Points balance"]),
        _entry("returns", "returning an item", ["How do I send a parcel back?", "Return label"]),
        _entry("invoices", "invoices", ["Where can I download my bill?", "I need a receipt"]),
    ]
    found = Matcher.build(entries).lookup("loyalty programme?")
    assert found.best is not None
    assert found.best.entry_id == "loyalty"
