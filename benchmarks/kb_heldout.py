"""The sample knowledge base (data/kb) on its held-out customer messages, per language.

`python -m benchmarks.kb_heldout`: queries, answered right, answered wrong and withheld per
language (in-scope messages; right/wrong/withheld add up to 100 %), plus off-topic messages
answered. Wrong counts an in-scope message given another entry's answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.departments import load_departments
from bot.kb.entries import Lookup
from bot.kb.live import LiveKnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "data" / "sample_kb_queries.jsonl"
KB_DIR = ROOT / "data" / "kb"
HEADER = f"{'lang':<6}{'queries':>8}{'right':>8}{'wrong':>8}{'withheld':>9}{'top-1':>8}"
HEADER += f"{'oos':>5}{'oos ans':>8}"


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    expect: str | None


@dataclass
class Tally:
    """Outcomes of one language's messages."""

    right: int = 0
    wrong: int = 0
    withheld: int = 0
    ranked_first: int = 0  # in-scope messages whose best candidate is the expected entry
    oos: int = 0
    oos_answered: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def in_scope(self) -> int:
        return self.right + self.wrong + self.withheld

    def share(self, count: int) -> float:
        return count / max(self.in_scope, 1)

    def add(self, query: Query, lookup: Lookup) -> None:
        if query.expect is None:
            self.oos += 1
            self.oos_answered += lookup.entry_id is not None
            return
        best = lookup.best.entry_id if lookup.best else None
        self.ranked_first += best == query.expect
        if lookup.entry_id == query.expect:
            self.right += 1
            return
        if lookup.entry_id is None:
            self.withheld += 1
        else:
            self.wrong += 1
        self.misses.append(f"{query.text!r}: {query.expect} -> {lookup.entry_id} (best {best})")

    def line(self, name: str) -> str:
        pct = [
            f"{100 * self.share(n):7.1f}%"
            for n in (self.right, self.wrong, self.withheld, self.ranked_first)
        ]
        return (
            f"{name:<6}{self.in_scope + self.oos:>8}{pct[0]}{pct[1]}{pct[2]:>9}{pct[3]}"
            f"{self.oos:>5}{self.oos_answered:>8}"
        )


def read_queries(path: Path = QUERIES) -> list[Query]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Query(row["text"], row["lang"], row["expect"]) for row in rows]


def open_sample_kb(directory: Path = KB_DIR) -> LiveKnowledgeBase:
    departments = frozenset(load_departments(ROOT / "data"))
    return asyncio.run(LiveKnowledgeBase.open(directory, departments))


def tally(kb: LiveKnowledgeBase, queries: Sequence[Query]) -> dict[str, Tally]:
    """Per-language outcomes ("all" for every language together), as `kb match` sees them."""
    lookups = kb.lookup_many([query.text for query in queries])
    tallies: dict[str, Tally] = {}
    for query, lookup in zip(queries, lookups, strict=True):
        for name in (query.language, "all"):
            tallies.setdefault(name, Tally()).add(query, lookup)
    return dict(sorted(tallies.items(), key=lambda item: (item[0] == "all", item[0])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--kb", type=Path, default=KB_DIR)
    parser.add_argument("--misses", action="store_true", help="list the messages not right")
    args = parser.parse_args()
    tallies = tally(open_sample_kb(args.kb), read_queries(args.queries))
    print(HEADER)
    for name, counts in tallies.items():
        print(counts.line(name))
    if args.misses:
        for name, counts in tallies.items():
            if name != "all":
                print(f"\n{name}:", *counts.misses, sep="\n  ")


if __name__ == "__main__":
    main()
