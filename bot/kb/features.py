"""TF-IDF features of questions: stemmed words and bigrams plus character n-grams."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.kb.normalize import analyze, fold

CHAR_NGRAMS = (2, 4)  # chosen on CLINC150 train/val: (2, 5) and (3, 5) were no better, slower
_HALF = 1 / math.sqrt(2)  # two unit-length blocks side by side -> one unit-length vector
Analyzer = Callable[[str], list[str]]


@dataclass(frozen=True)
class Vector:
    """One unit-length sparse vector: feature indices (unique, unsorted) and their values."""

    indices: NDArray[np.int64]
    values: NDArray[np.float32]


class Features:
    """Vectorisers fitted on a knowledge base's example questions.

    Word features carry meaning across inflections (language-specific stemming); character
    n-grams carry typo tolerance and partial compounds, and need no language at all. A
    question's vector is the two unit-length blocks side by side, each scaled by 1/sqrt(2):
    words first (`word_width` columns), then characters.
    """

    def __init__(self) -> None:
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS)
        self._char_grams: Analyzer = chars.build_analyzer()
        self._word_block = _Block()
        self._char_block = _Block()

    @property
    def word_width(self) -> int:
        """Number of word features (the character features follow them)."""
        return len(self._word_block.vocabulary)

    def fit(self, texts: Sequence[str], languages: Sequence[str]) -> csr_matrix:
        """Fit on the example questions; returns their combined vectors (one row each)."""
        self._char_block.fit([self._char_grams(fold(text)) for text in texts])
        self._word_block.fit(
            [analyze(text, lang) for text, lang in zip(texts, languages, strict=True)]
        )
        rows = [
            self.vector(self.chars(text), text, lang)
            for text, lang in zip(texts, languages, strict=True)
        ]
        return _stack(rows, self.word_width + len(self._char_block.vocabulary))

    def chars(self, text: str) -> Vector:
        """Unit-length character n-gram vector (language-independent), char-block columns."""
        return self._char_block.vector(self._char_grams(fold(text)))

    def vector(self, chars: Vector, text: str, language: str) -> Vector:
        """The combined vector of `text` given its `chars` vector and its language."""
        words = self._word_block.vector(analyze(text, language))
        return Vector(
            np.concatenate([words.indices, chars.indices + self.word_width]),
            np.concatenate([words.values, chars.values]) * np.float32(_HALF),
        )


class _Block:
    """Sublinear TF-IDF with L2 norm over given token lists.

    sklearn's TfidfVectorizer fits it; transforming is done here because sklearn's (and
    scipy's) per-call overhead alone costs about a millisecond, a third of a lookup's budget.
    """

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self._idf = np.zeros(0, dtype=np.float32)

    def fit(self, documents: list[list[str]]) -> None:
        fitted = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True, dtype=np.float32)
        fitted.fit(documents)
        self.vocabulary = {str(t): int(i) for t, i in fitted.vocabulary_.items()}
        self._idf = np.asarray(fitted.idf_, dtype=np.float32)

    def vector(self, document: list[str]) -> Vector:
        counts = Counter(i for i in map(self.vocabulary.get, document) if i is not None)
        indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values = (np.log(tf) + np.float32(1.0)) * self._idf[indices]
        norm = float(np.sqrt(np.dot(values, values)))
        return Vector(indices, values / np.float32(max(norm, 1e-12)))


def _stack(rows: list[Vector], width: int) -> csr_matrix:
    indptr = np.cumsum([0] + [len(row.indices) for row in rows])
    if not rows:
        return csr_matrix((0, width), dtype=np.float32)
    indices = np.concatenate([row.indices for row in rows])
    values = np.concatenate([row.values for row in rows])
    matrix = csr_matrix((values, indices, indptr), shape=(len(rows), width), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def _as_given(tokens: list[str]) -> list[str]:
    return tokens
