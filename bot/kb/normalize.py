"""Per-language text normalisation: folding, tokenising and stemming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import pairwise

import snowballstemmer

from bot.kb.stem_sk import stem_slovak

_SNOWBALL = {"en": "english", "de": "german", "da": "danish", "sv": "swedish", "el": "greek"}
WORD_CACHE = 50_000  # stemmed words kept per language
# Letters that NFKD does not decompose but that customers type as plain ASCII.
_EXTRA_FOLDS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case, without accents (Greek tonos, umlauts, Slovak carons) or final sigma.

    Customers type the same word with and without diacritics, so both sides of every
    comparison are folded the same way.
    """
    lowered = text.lower().translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ς", "σ")


def tokens(text: str) -> list[str]:
    """The words of already folded text."""
    return _WORD.findall(text)


def stem(word: str, language: str) -> str:
    """The word's stem in the language (unchanged for a language without a stemmer)."""
    return _stemmer(language)(word)


def analyze(text: str, language: str) -> list[str]:
    """Stemmed words and word bigrams of raw text, the matcher's word features."""
    words = [stem(word, language) for word in tokens(fold(text))]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    if language == "sk":
        return lru_cache(maxsize=WORD_CACHE)(stem_slovak)
    algorithm = _SNOWBALL.get(language)
    if algorithm is None:
        return _identity
    # Snowball is pure Python here; caching per word makes building a 15,000-question KB fast.
    # Bounded: customers' words are not, and a stream of invented ones must not grow memory.
    return lru_cache(maxsize=WORD_CACHE)(snowballstemmer.stemmer(algorithm).stemWord)


def _identity(word: str) -> str:
    return word
