"""The trained index behind the matcher: raw per-entry evidence for batches of questions."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from bot.kb.entries import LANGUAGES, Entry
from bot.kb.features import Features, Vector
from bot.kb.language import choose_language, language_probabilities
from bot.kb.normalize import fold

SVM_C = 1.0  # chosen on CLINC150 train/val (0.3-2 within 0.5 points; 1 best)
# Few-shot knowledge bases (at most FEW_SHOT example questions per entry on average, as most
# real FAQs) add a multinomial logistic regression's logits to the SVM margins: on BANKING77
# with 10 examples per intent (train.csv split, seeds 1 to 3) top-1 rises from about 71 % to
# 73-74 %; with 80+ examples it brings nothing and would double the build time. C=30 was best
# of 10/30/100; LR_SCALE (logits divided by it) 1 and 2 were equal after re-calibration.
# Counting per entry *and language* instead (the sample KB: 12 per language, 72 per entry) was
# measured on the sample KB's held-out messages: 86.2 % right but 7.7 % wrong and 8 of 36
# off-topic answered, against 80.8 % / 5.8 % / 5 with the count per entry, which is kept.
# Answers as examples as well: 81.5 % right, 4.8 % wrong, but a plain "how long will it take
# for my parcel to get here" fell under the threshold (more entries share its words), so no.
FEW_SHOT = 30
LR_C = 30.0
LR_SCALE = 1.0
# How strongly the KB's own example questions sway the language guess: a cosine lead of 0.1
# over another language's examples multiplies that language's odds by e^0.8 (about 2.2).
LANGUAGE_EVIDENCE = 8.0
DENSE_SHARE = 16  # a feature in at least 1/16 of the examples gets a dense row of cosines
# KBs with more entries compare a question only with the examples of the NEAREST_TOP entries
# with the highest classifier margins (the nearest-example cosine of the others is left 0).
# 3 vs all 150 on CLINC150: accuracy and OOS recall within 0.5 points, lookups 2x faster.
NEAREST_TOP = 3
Matrix = NDArray[np.float32]


@dataclass(frozen=True)
class Evidence:
    """Per-entry evidence for a batch: rows are questions, columns the index's entries."""

    margins: Matrix  # linear classifier decision values (empty when there is one entry)
    nearest: Matrix  # cosine to the entry's most similar example question
    languages: list[str]  # the language each question was taken to be in
    few_shot: bool = False  # margins include logistic-regression logits (see FEW_SHOT)


class Index:
    """Example questions of a knowledge base, vectorised, with a classifier over entries.

    A lookup never builds a scipy matrix (its per-call overhead dominated the latency): the
    classifier is a dense (features x entries) array whose rows the question's few non-zero
    features pick, and similarities come from posting lists (feature -> examples).
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        rows = [row for entry in entries for row in _examples(entry)]
        self.ids = list(dict.fromkeys(entry_id for entry_id, _, _ in rows))
        position = {entry_id: i for i, entry_id in enumerate(self.ids)}
        rows.sort(key=lambda row: position[row[0]])  # each entry's examples contiguous
        labels = np.array([position[entry_id] for entry_id, _, _ in rows], dtype=np.int64)
        self._starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]) if rows else labels
        example_languages = np.array([lang for _, lang, _ in rows])
        self.languages = sorted(set(example_languages.tolist()))
        self._by_language = [
            (column, np.flatnonzero(example_languages == lang))
            for column, lang in enumerate(LANGUAGES)
            if lang in self.languages
        ]
        self._absent = [lang not in self.languages for lang in LANGUAGES]
        self._features = Features()
        texts = [text for _, _, text in rows]
        examples = self._features.fit(texts, example_languages.tolist()) if rows else None
        self.few_shot = len(self.ids) >= 2 and len(rows) <= FEW_SHOT * len(self.ids)
        coef, self._bias = _train(examples, labels, len(self.ids), self.few_shot)
        self._coef_t = np.ascontiguousarray(coef.T)
        postings = csr_matrix((0, 0), dtype=np.float32) if examples is None else examples.T
        postings = csr_matrix(postings, dtype=np.float32)
        self._size = len(rows)
        # Features in many examples ("wh", " th") get a dense row of cosines per example:
        # cheaper to add up than their long posting lists; the rest keep posting lists.
        frequent = np.diff(postings.indptr) * DENSE_SHARE >= max(self._size, 1)
        self._dense_row = np.cumsum(frequent) - 1
        self._dense_row[~frequent] = -1
        self._dense = np.asarray(postings[frequent].toarray(), dtype=np.float32)
        rare = csr_matrix(postings.multiply(~frequent[:, None]), dtype=np.float32)
        self._post_ptr = np.asarray(rare.indptr, dtype=np.int64)
        self._post_examples = np.asarray(rare.indices, dtype=np.int64)
        self._post_values = np.asarray(rare.data, dtype=np.float32)
        self._word_width = self._features.word_width
        by_example = csr_matrix((0, 0), dtype=np.float32) if examples is None else examples
        self._ex_ptr = np.asarray(by_example.indptr, dtype=np.int64)
        self._ex_features = np.asarray(by_example.indices, dtype=np.int64)
        self._ex_values = np.asarray(by_example.data, dtype=np.float32)
        self._ends = np.r_[self._starts[1:], self._size].astype(np.int64)

    def evidence(self, texts: Sequence[str], previous: Sequence[str | None]) -> Evidence:
        """Classifier margins, nearest-example cosines and languages for the questions."""
        assert self._size, "evidence() needs a non-empty index"
        found = [self._one(text, prior) for text, prior in zip(texts, previous, strict=True)]
        margins = [m for m, _, _ in found]
        nearest = [n for _, n, _ in found]
        return Evidence(
            margins=_rows(margins, self._coef_t.shape[1]),
            nearest=_rows(nearest, len(self.ids)),
            languages=[lang for _, _, lang in found],
            few_shot=self.few_shot,
        )

    def _one(self, text: str, previous: str | None) -> tuple[Matrix, Matrix, str]:
        chars = self._features.chars(text)
        char_similarity = None
        if len(self.languages) > 1:  # cosine of the char blocks, per example
            char_similarity = self._similarity(
                Vector(chars.indices + self._word_width, chars.values)
            )
        language = self._choose_language(text, previous, char_similarity)
        stem_language = language if language in self.languages else self.languages[0]
        vector = self._features.vector(chars, text, stem_language)
        margins = np.einsum("i,ij->j", vector.values, self._coef_t[vector.indices]) + self._bias
        if char_similarity is not None or len(self.ids) <= NEAREST_TOP:
            if char_similarity is None:
                similarity = self._similarity(vector)
            else:  # combined cosine = (word + char cosine) / 2
                words = vector.indices < self._word_width
                word_part = Vector(vector.indices[words], vector.values[words])
                # char_similarity is the char cosine / sqrt(2) (only the examples are scaled)
                similarity = self._similarity(word_part) + char_similarity * np.sqrt(0.5)
            nearest = np.maximum.reduceat(similarity, self._starts).astype(np.float32)
        else:
            nearest = self._nearest_of_top(vector, margins)
        return np.asarray(margins, dtype=np.float32), nearest, language

    def _nearest_of_top(self, vector: Vector, margins: Matrix) -> Matrix:
        """Nearest-example cosines of the NEAREST_TOP entries with the highest margins only.

        Large KBs: the other entries' examples are skipped (0), which leaves their already low
        confidence lower; about a sixth of the work of comparing with all 15,000 CLINC150 examples.
        """
        top = np.argpartition(-margins, NEAREST_TOP - 1)[:NEAREST_TOP]
        begin, end = self._starts[top], self._ends[top]
        counts = end - begin
        examples = np.repeat(begin - (np.cumsum(counts) - counts), counts)
        examples += np.arange(int(counts.sum()))
        start, stop = self._ex_ptr[examples], self._ex_ptr[examples + 1]
        lengths = stop - start
        positions = np.repeat(start - (np.cumsum(lengths) - lengths), lengths)
        positions += np.arange(int(lengths.sum()))
        query = np.zeros(len(self._post_ptr) - 1, dtype=np.float32)
        query[vector.indices] = vector.values
        products = self._ex_values[positions] * query[self._ex_features[positions]]
        bounds = np.cumsum(lengths) - lengths
        similarity = np.add.reduceat(products, bounds) if len(products) else products
        similarity[lengths == 0] = 0.0  # reduceat gives the next element for empty rows
        best = np.maximum.reduceat(similarity, np.cumsum(counts) - counts)
        nearest = np.zeros(len(self.ids), dtype=np.float32)
        nearest[top] = best
        return nearest

    def _similarity(self, vector: Vector) -> NDArray[np.float64]:
        """Dot product of the vector with every example (dense rows plus posting lists)."""
        rows = self._dense_row[vector.indices]
        dense = rows >= 0
        # einsum, not `@`: multithreaded BLAS would wait for the other core when it is busy
        result = np.einsum("i,ij->j", vector.values[dense], self._dense[rows[dense]])
        sparse = self._sparse_similarity(vector.indices[~dense], vector.values[~dense])
        return np.asarray(result + sparse, dtype=np.float64)

    def _sparse_similarity(
        self, indices: NDArray[np.int64], values: NDArray[np.float32]
    ) -> NDArray[np.float64]:
        begin = self._post_ptr[indices]
        lengths = self._post_ptr[indices + 1] - begin
        total = int(lengths.sum())
        if not total:
            return np.zeros(self._size, dtype=np.float64)
        # positions of all postings of the vector's features, in one flat array
        shift = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths)
        positions = shift + np.arange(total)
        weights = self._post_values[positions] * np.repeat(values, lengths)
        found = np.bincount(self._post_examples[positions], weights, minlength=self._size)
        return np.asarray(found, dtype=np.float64)

    def _choose_language(
        self, text: str, previous: str | None, char_similarity: NDArray[np.float64] | None
    ) -> str:
        detected = language_probabilities(text)
        odds = np.array([detected[lang] for lang in LANGUAGES])
        if char_similarity is not None:  # which language's example questions look most like it
            # the examples' char blocks are scaled by 1/sqrt(2), the question's is not
            best = np.zeros(len(LANGUAGES))
            for column, members in self._by_language:
                best[column] = char_similarity[members].max() * np.sqrt(2)
            best[self._absent] = best.max()
            odds = odds * np.exp(LANGUAGE_EVIDENCE * best)
            odds /= odds.sum()
        probabilities = dict(zip(LANGUAGES, odds.tolist(), strict=True))
        return choose_language(probabilities, text, previous)[0]


def _examples(entry: Entry) -> list[tuple[str, str, str]]:
    """(entry id, language, text) of the entry's example questions, and of its title in each
    language as one more: customers often type just the topic ("payment options"). Answers
    as examples too were measured and not kept (index comment above)."""
    found = [(entry.id, lang, q) for lang, qs in entry.questions.items() for q in qs if q.strip()]
    for lang, title in entry.title.items():
        if title.strip() and all(fold(title) != fold(q) for _, other, q in found if other == lang):
            found.append((entry.id, lang, title))
    return found


def _rows(rows: list[Matrix], width: int) -> Matrix:
    return np.stack(rows) if rows else np.zeros((0, width), dtype=np.float32)


def _train(
    examples: csr_matrix | None, labels: NDArray[np.int64], classes: int, few_shot: bool
) -> tuple[Matrix, Matrix]:
    """Linear classifier weights as dense (classes x features) and bias arrays.

    One-vs-rest linear SVM, plus (few-shot KBs) multinomial logistic regression logits.
    """
    if examples is None or classes < 2:
        width = 0 if examples is None else examples.shape[1]
        return np.zeros((0, width), dtype=np.float32), np.zeros(0, dtype=np.float32)
    svm = LinearSVC(C=SVM_C, random_state=0).fit(examples, labels)
    coef, bias = _per_class(svm.coef_, svm.intercept_, classes)
    if few_shot:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            logistic = LogisticRegression(C=LR_C, max_iter=300).fit(examples, labels)
        lr_coef, lr_bias = _per_class(logistic.coef_, logistic.intercept_, classes)
        coef, bias = coef + lr_coef / LR_SCALE, bias + lr_bias / LR_SCALE
    return coef, bias


def _per_class(
    coef: NDArray[np.float64], bias: NDArray[np.float64], classes: int
) -> tuple[Matrix, Matrix]:
    coef32, bias32 = np.asarray(coef, dtype=np.float32), np.asarray(bias, dtype=np.float32)
    if classes == 2:  # sklearn keeps one hyperplane for two classes; give each its side
        coef32, bias32 = np.vstack([-coef32, coef32]), np.r_[-bias32, bias32]
    return coef32, bias32
