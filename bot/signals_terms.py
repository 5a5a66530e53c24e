"""Lexicon terms: the key each word form carries, typo matching ("~") and masked swear words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.kb.normalize import fold, stem

ANCHORS = ("^", "$")  # message start and end
FUZZY_MIN = 5  # a "~" term this long (as written) also matches a word with one typo
_TERM = re.compile(r"[=*~]?[^\W_]+|[^\W_]+\*")
FuzzyIndex = dict[str, frozenset[tuple[str, str]]]  # variant -> (base form, key)


class TermError(ValueError):
    """A lexicon term is not a single word in the term syntax."""


@dataclass(frozen=True)
class MaskWord:
    """An abuse word a masked token ("f*ck") may stand for, and the key it then gets."""

    word: str
    key: str
    prefix: bool


def term_key(term: str, language: str) -> str:
    """The key a word needs to match a term: stem, "=exact", "prefix*", "*suffix" or "~stem"."""
    word = fold(term)
    if word in ANCHORS:
        return word
    if not _TERM.fullmatch(word):
        raise TermError(f"not a single word: {term!r}")
    if word.startswith("="):
        return word
    if word.endswith("*"):
        return "p:" + word[:-1]
    if word.startswith("*"):
        return "x:" + word[1:]
    return "s:" + stem(word.lstrip("~"), language)


def fuzzy_index(terms: Iterable[str], language: str) -> FuzzyIndex:
    """Each "~" term as written (folded), whole and with one letter left out."""
    index: dict[str, set[tuple[str, str]]] = {}
    for term in terms:
        word = fold(term[1:])
        if term.startswith("~") and len(word) >= FUZZY_MIN:
            for variant in (word, *deletions(word)):
                index.setdefault(variant, set()).add((word, term_key(term, language)))
    return {variant: frozenset(found) for variant, found in index.items()}


def near_keys(word: str, index: FuzzyIndex) -> set[str]:
    """Keys of "~" terms within one typo of the word (a letter missing, extra, wrong or swapped)."""
    if len(word) < FUZZY_MIN - 1:
        return set()
    return {
        key
        for variant in (word, *deletions(word))
        for base, key in index.get(variant, ())
        if base[0] == word[0] and abs(len(base) - len(word)) < 2
    }


def deletions(word: str) -> list[str]:
    """The word with one letter left out, at each position."""
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def mask_words(terms: Iterable[str], language: str) -> tuple[MaskWord, ...]:
    """The words a masked token may stand for: the abuse section's terms."""
    return tuple(
        MaskWord(fold(term).strip("=*~"), term_key(term, language), term.endswith("*"))
        for term in sorted(set(terms) - set(ANCHORS))
    )
