"""The trained index behind the matcher: raw per-entry evidence for batches of questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.svm import LinearSVC

from bot.kb.entries import LANGUAGES, Entry
from bot.kb.features import Features, combine
from bot.kb.language import choose_language, language_probabilities

SVM_C = 1.0  # chosen on CLINC150 train/val (0.3-2 within 0.5 points; 1 best)
# How strongly the KB's own example questions sway the language guess: a cosine lead of 0.1
# over another language's examples multiplies that language's odds by e^0.8 (about 2.2).
LANGUAGE_EVIDENCE = 8.0
Matrix = NDArray[np.float32]


@dataclass(frozen=True)
class Evidence:
    """Per-entry evidence for a batch: rows are questions, columns the index's entries."""

    margins: Matrix  # linear classifier decision values (empty when there is one entry)
    nearest: Matrix  # cosine to the entry's most similar example question
    languages: list[str]  # the language each question was taken to be in


class Index:
    """Example questions of a knowledge base, vectorised, with a classifier over entries."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        rows = [(e.id, lang, q) for e in entries for lang, qs in e.questions.items() for q in qs]
        rows = [row for row in rows if row[2].strip()]
        self.ids = list(dict.fromkeys(entry_id for entry_id, _, _ in rows))
        position = {entry_id: i for i, entry_id in enumerate(self.ids)}
        rows.sort(key=lambda row: position[row[0]])  # each entry's examples contiguous
        labels = np.array([position[entry_id] for entry_id, _, _ in rows], dtype=np.int64)
        self._starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]) if rows else labels
        self._example_languages = np.array([lang for _, lang, _ in rows])
        self.languages = sorted(set(self._example_languages.tolist()))
        self._features = Features()
        texts = [text for _, _, text in rows]
        self._examples = (
            self._features.fit(texts, self._example_languages.tolist()) if rows else None
        )
        self._coef, self._bias = _train(self._examples, labels, len(self.ids))
        # Transposed once here: scipy would convert formats on every lookup otherwise.
        self._examples_t = None if self._examples is None else self._examples.T.tocsr()
        self._coef_t = np.ascontiguousarray(self._coef.T)

    def evidence(self, texts: Sequence[str], previous: Sequence[str | None]) -> Evidence:
        """Classifier margins, nearest-example cosines and languages for the questions."""
        assert self._examples is not None, "evidence() needs a non-empty index"
        chars = self._features.chars(texts)
        languages = self._choose_languages(texts, previous, chars)
        stem_languages = [
            lang if lang in self.languages else self.languages[0] for lang in languages
        ]
        vectors = combine(self._features.words(texts, stem_languages), chars)
        similarity = np.asarray((vectors @ self._examples_t).toarray(), dtype=np.float32)
        nearest = np.maximum.reduceat(similarity, self._starts, axis=1)
        margins = np.asarray(vectors @ self._coef_t + self._bias, dtype=np.float32)
        return Evidence(margins=margins, nearest=nearest, languages=languages)

    def _choose_languages(
        self, texts: Sequence[str], previous: Sequence[str | None], chars: csr_matrix
    ) -> list[str]:
        detected = [language_probabilities(text) for text in texts]
        odds = np.array([[found[lang] for lang in LANGUAGES] for found in detected])
        if len(self.languages) > 1:  # which language's example questions look most like it
            odds = odds * np.exp(LANGUAGE_EVIDENCE * self._language_similarity(chars))
            odds /= odds.sum(axis=1, keepdims=True)
        return [
            choose_language(dict(zip(LANGUAGES, row.tolist(), strict=True)), text, prior)[0]
            for row, text, prior in zip(odds, texts, previous, strict=True)
        ]

    def _language_similarity(self, chars: csr_matrix) -> Matrix:
        """Best character-level cosine per language; languages without examples get the max."""
        assert self._examples_t is not None
        char_block = self._examples_t[-chars.shape[1] :] * np.sqrt(2)
        similarity = np.asarray((chars @ char_block).toarray(), dtype=np.float32)
        best = np.zeros((chars.shape[0], len(LANGUAGES)), dtype=np.float32)
        for column, lang in enumerate(LANGUAGES):
            mask = self._example_languages == lang
            if mask.any():
                best[:, column] = similarity[:, mask].max(axis=1)
        absent = [lang not in self.languages for lang in LANGUAGES]
        best[:, absent] = best.max(axis=1, keepdims=True)
        return best


def _train(
    examples: csr_matrix | None, labels: NDArray[np.int64], classes: int
) -> tuple[Matrix, Matrix]:
    """One-vs-rest linear SVM weights as dense (classes x features) and bias arrays."""
    if examples is None or classes < 2:
        width = 0 if examples is None else examples.shape[1]
        return np.zeros((0, width), dtype=np.float32), np.zeros(0, dtype=np.float32)
    svm = LinearSVC(C=SVM_C, random_state=0).fit(examples, labels)
    coef = np.asarray(svm.coef_, dtype=np.float32)
    bias = np.asarray(svm.intercept_, dtype=np.float32)
    if classes == 2:  # sklearn keeps one hyperplane for two classes; give each its side
        coef, bias = np.vstack([-coef, coef]), np.r_[-bias, bias]
    return coef, bias
