"""TF-IDF features of questions: stemmed words and bigrams plus character n-grams."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.kb.normalize import analyze, fold

CHAR_NGRAMS = (2, 4)  # chosen on CLINC150 train/val: (2, 5) and (3, 5) were no better, slower
_HALF = 1 / math.sqrt(2)  # two unit-length blocks side by side -> one unit-length vector
Analyzer = Callable[[str], list[str]]


class Features:
    """Vectorisers fitted on a knowledge base's example questions.

    Word features carry meaning across inflections (language-specific stemming); character
    n-grams carry typo tolerance and partial compounds, and need no language at all.
    """

    def __init__(self) -> None:
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS)
        self._char_grams: Analyzer = chars.build_analyzer()
        self._word_block = _Block()
        self._char_block = _Block()

    def fit(self, texts: Sequence[str], languages: Sequence[str]) -> csr_matrix:
        """Fit on the example questions; returns their combined vectors."""
        chars = self._char_block.fit([self._char_grams(fold(text)) for text in texts])
        words = self._word_block.fit(_analyzed(texts, languages))
        return combine(words, chars)

    def chars(self, texts: Sequence[str]) -> csr_matrix:
        """Unit-length character n-gram vectors (language-independent)."""
        return self._char_block.transform([self._char_grams(fold(text)) for text in texts])

    def words(self, texts: Sequence[str], languages: Sequence[str]) -> csr_matrix:
        """Unit-length stemmed word vectors, each text stemmed in its language."""
        return self._word_block.transform(_analyzed(texts, languages))


class _Block:
    """Sublinear TF-IDF with L2 norm over given token lists.

    sklearn's TfidfVectorizer fits it; transforming is done here because sklearn's per-call
    input validation alone costs about a millisecond, a fifth of a lookup's budget.
    """

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = {}
        self._idf = np.zeros(0, dtype=np.float32)

    def fit(self, documents: list[list[str]]) -> csr_matrix:
        fitted = TfidfVectorizer(analyzer=_as_given, sublinear_tf=True, dtype=np.float32)
        fitted.fit(documents)
        self._vocabulary = {str(t): int(i) for t, i in fitted.vocabulary_.items()}
        self._idf = np.asarray(fitted.idf_, dtype=np.float32)
        return self.transform(documents)

    def transform(self, documents: list[list[str]]) -> csr_matrix:
        indptr: list[int] = [0]
        indices: list[int] = []
        values: list[float] = []
        for document in documents:
            counts = Counter(i for i in map(self._vocabulary.get, document) if i is not None)
            indices += counts.keys()
            values += (1.0 + math.log(n) for n in counts.values())
            indptr.append(len(indices))
        shape = (len(documents), len(self._vocabulary))
        matrix = csr_matrix((np.array(values, dtype=np.float32), indices, indptr), shape=shape)
        matrix.data *= self._idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        matrix.data /= np.repeat(np.maximum(norms, 1e-12), np.diff(matrix.indptr)).astype(
            np.float32
        )
        return matrix


def combine(words: csr_matrix, chars: csr_matrix) -> csr_matrix:
    """One unit-length vector per row from the two blocks (cosine = mean of the two)."""
    return csr_matrix(hstack([words, chars], format="csr") * _HALF)


def _analyzed(texts: Sequence[str], languages: Sequence[str]) -> list[list[str]]:
    return [analyze(text, language) for text, language in zip(texts, languages, strict=True)]


def _as_given(tokens: list[str]) -> list[str]:
    return tokens
