"""The questions the knowledge base did not cover, grouped by similarity (playbook G1, G6)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.config import Settings
from bot.models import Doc
from bot.ports import Store
from bot.storage import open_configured

LOOKUPS = "kb_lookups"
SIMILAR = 0.35  # Jaccard overlap of character trigrams that puts two questions in one group


@dataclass
class Gap:
    """A group of similar questions the bot could not answer well."""

    example: str
    languages: set[str] = field(default_factory=set)
    questions: list[str] = field(default_factory=list)
    grams: frozenset[str] = frozenset()

    @property
    def count(self) -> int:
        return len(self.questions)


def is_gap(doc: Doc) -> bool:
    """Not answered, only offered choices, or answered but marked unhelpful."""
    return doc.get("outcome") in {"unknown", "suggested"} or doc.get("helpful") is False


def group_gaps(docs: Iterable[Doc]) -> list[Gap]:
    """The uncovered questions, similar ones grouped, the most frequent first (anonymised
    ones, whose text retention removed, are left out)."""
    return group_similar(
        (d["text"], str(d.get("language", ""))) for d in docs if is_gap(d) and d["text"]
    )


def group_similar(texts: Iterable[tuple[str, str]]) -> list[Gap]:
    """Greedy grouping of (text, language): each joins the first group it overlaps enough."""
    gaps: list[Gap] = []
    for text, language in texts:
        grams = trigrams(text)
        home = next((g for g in gaps if jaccard(g.grams, grams) >= SIMILAR), None)
        if home is None:
            home = Gap(text, grams=grams)
            gaps.append(home)
        home.questions.append(text)
        home.languages.add(language)
    return sorted(gaps, key=lambda g: -g.count)


async def gaps_in(store: Store) -> list[Gap]:
    return group_gaps(await store.find(LOOKUPS))


def describe(gaps: list[Gap], limit: int) -> str:
    if not gaps:
        return "No uncovered questions recorded yet."
    lines = []
    for gap in gaps[:limit]:
        others = [q for q in dict.fromkeys(gap.questions) if q != gap.example][:2]
        also = f"  (also: {' | '.join(others)})" if others else ""
        lines.append(f"{gap.count:>4}x [{', '.join(sorted(gap.languages))}] {gap.example}{also}")
    return "\n".join(lines)


async def print_gaps(settings: Settings, limit: int) -> int:
    store = await open_configured(settings.db_dir, settings.database_url)
    try:
        print(describe(await gaps_in(store), limit))
    finally:
        await store.close()
    return 0


def trigrams(text: str) -> frozenset[str]:
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum() or c == " "
    )
    padded = f" {' '.join(folded.split())} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """How much two sets of trigrams overlap, from 0 to 1."""
    return len(a & b) / len(a | b) if a and b else 0.0
