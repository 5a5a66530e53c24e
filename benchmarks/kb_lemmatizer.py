"""simplemma's lemmatizer against the matcher's stemmers on the sample KB's held-out messages.

`python -m benchmarks.kb_lemmatizer` (needs `pip install simplemma`, which the bot does not
depend on): the held-out table with the current word analysis, with simplemma for Slovak
only (against the hand-written stemmer), and with simplemma for all six languages.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from itertools import pairwise

from benchmarks.kb_heldout import HEADER, open_sample_kb, read_queries, tally
from bot.kb import features
from bot.kb.normalize import fold

_WORD = re.compile(r"\w+")
_HOOK = "analyze"  # the word analysis bot.kb.features uses
Analyzer = Callable[[str, str], list[str]]


@cache
def _lemma(word: str, language: str) -> str:
    simplemma = importlib.import_module("simplemma")  # optional: only this comparison uses it
    return str(simplemma.lemmatize(word, lang=language))


def lemmatized(languages: frozenset[str], current: Analyzer) -> Analyzer:
    """Word features from simplemma's lemmas (then folded) for `languages`, else `current`."""

    def analyze(text: str, language: str) -> list[str]:
        if language not in languages:
            return current(text, language)
        words = [fold(_lemma(word, language)) for word in _WORD.findall(text.lower())]
        return words + [f"{a} {b}" for a, b in pairwise(words)]

    return analyze


@contextmanager
def analysis(analyze: Analyzer) -> Iterator[None]:
    """The matcher's features built with `analyze` for the duration (a benchmark-only patch)."""
    original = getattr(features, _HOOK)
    setattr(features, _HOOK, analyze)
    try:
        yield
    finally:
        setattr(features, _HOOK, original)


def main() -> None:
    current: Analyzer = getattr(features, _HOOK)
    setups = {
        "stemmers (current)": current,
        "simplemma for sk": lemmatized(frozenset({"sk"}), current),
        "simplemma for all": lemmatized(frozenset({"da", "de", "el", "en", "sk", "sv"}), current),
    }
    queries = read_queries()
    for name, analyze in setups.items():
        with analysis(analyze):
            tallies = tally(open_sample_kb(), queries)
        print(f"\n{name}\n{HEADER}")
        for language in ("sk", "all"):
            print(tallies[language].line(language))


if __name__ == "__main__":
    main()
