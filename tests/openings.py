"""Drives the openings corpus (tests/data/openings.jsonl) through the real core and scores
the language, the name and whether a greeting was taken as a request (test and benchmark)."""

from __future__ import annotations

import asyncio
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.departments import Department, load_departments
from bot.i18n import Catalog
from bot.kb.live import LiveKnowledgeBase
from bot.ports import KnowledgeBase
from tests.fakes import Harness

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "data" / "openings.jsonl"


@dataclass(frozen=True)
class Opening:
    lang: str
    text: str
    name: str
    request: bool
    kind: str


@dataclass
class Outcome:
    """What the bot made of one opening."""

    opening: Opening
    language: str
    name: str
    handed_over: bool
    topic: str

    @property
    def language_right(self) -> bool:
        return self.language == self.opening.lang

    @property
    def name_right(self) -> bool:
        return same_name(self.name, self.opening.name)


@dataclass
class Tally:
    total: int = 0
    language: int = 0
    names: int = 0
    greetings: int = 0
    greetings_handed_over: int = 0
    greetings_as_topic: int = 0
    misses: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        self.language += outcome.language_right
        self.names += outcome.name_right
        if not outcome.opening.request:
            self.greetings += 1
            self.greetings_handed_over += outcome.handed_over
            self.greetings_as_topic += bool(outcome.topic)
        if not (outcome.language_right and outcome.name_right):
            self.misses.append(outcome)


def load_corpus(path: Path = CORPUS) -> list[Opening]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Opening(r["lang"], r["text"], r["name"] or "", r["request"], r["kind"]) for r in rows]


def same_name(found: str, expected: str) -> bool:
    """Names compare without case and accents; a Greek accusative ("Γιώργο", as in "με λένε
    Γιώργο") is the same name as its nominative."""
    return _name_key(found) == _name_key(expected)


def _name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(w[:-1] if w.endswith("ς") else w for w in bare.split())


@dataclass(frozen=True)
class Parts:
    """What every opening's fresh bot shares: loaded once."""

    kb: KnowledgeBase
    catalog: Catalog
    departments: dict[str, Department]


async def sample_parts() -> Parts:
    departments = load_departments(ROOT / "data")
    kb = await LiveKnowledgeBase.open(ROOT / "data" / "kb", frozenset(departments))
    return Parts(kb, Catalog.load(), departments)


async def run_opening(opening: Opening, parts: Parts, prior: bool) -> Outcome:
    h = Harness(kb=parts.kb, departments=parts.departments, catalog=parts.catalog)
    h.locales = (opening.lang,) if prior else ()
    await h.say(opening.text)
    conv = await h.conversation()
    handed = bool(conv.ticket) or conv.stage.value == "with_person"
    return Outcome(opening, conv.language, conv.name, handed, conv.topic)


async def score(parts: Parts, prior: bool) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for opening in load_corpus():
        tallies[opening.lang].add(await run_opening(opening, parts, prior))
    return dict(sorted(tallies.items()))


def table(with_prior: dict[str, Tally], without: dict[str, Tally]) -> str:
    head = "| language | openings | language (locale prior) | language (no prior) | name |"
    lines = [head, "|---|---|---|---|---|"]
    for lang, tally in with_prior.items():
        bare = without[lang]
        lines.append(
            f"| {lang} | {tally.total} | {_pct(tally.language, tally.total)} | "
            f"{_pct(bare.language, bare.total)} | {_pct(bare.names, bare.total)} |"
        )
    return "\n".join(lines)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


async def main() -> None:
    parts = await sample_parts()
    with_prior, without = await score(parts, True), await score(parts, False)
    print(table(with_prior, without))
    handed = sum(t.greetings_handed_over for t in without.values())
    greetings = sum(t.greetings for t in without.values())
    print(f"\ngreetings handed to a person: {handed} of {greetings}")
    for tally in without.values():
        for miss in tally.misses:
            o = miss.opening
            print(f"  {o.lang} {o.text!r}: language {miss.language}, name {miss.name!r}")


if __name__ == "__main__":
    asyncio.run(main())
