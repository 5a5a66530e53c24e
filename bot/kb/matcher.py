"""The FAQ matcher: which entry answers a question, and whether any entry does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from bot.kb.calibration import confidence, similarity_confidence
from bot.kb.entries import Candidate, Entry, Lookup
from bot.kb.index import Evidence, Index
from bot.kb.language import detect_language
from bot.kb.normalize import fold, tokens
from bot.kb.thresholds import DEFAULT_THRESHOLD, PLAUSIBLE

MAX_ALTERNATIVES = 3
_BATCH = 256  # questions per step of lookup_many


class Matcher:
    """Matches customer questions to knowledge-base entries, or says that none fits."""

    def __init__(self, index: Index, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._index = index
        self.threshold = threshold

    @classmethod
    def build(cls, entries: Sequence[Entry], threshold: float = DEFAULT_THRESHOLD) -> Matcher:
        """Index and train on the entries' example questions (all languages)."""
        return cls(Index(entries), threshold)

    @property
    def languages(self) -> list[str]:
        """Languages that have example questions in the knowledge base."""
        return list(self._index.languages)

    def lookup(self, text: str, language: str | None = None) -> Lookup:
        """The entry answering `text`; `language` is the conversation's current language."""
        return self._lookup_batch([text], [language])[0]

    def lookup_many(
        self, texts: Sequence[str], languages: Sequence[str | None] | None = None
    ) -> list[Lookup]:
        """`lookup` for many questions at once (same results, much faster)."""
        priors = list(languages) if languages is not None else [None] * len(texts)
        results: list[Lookup] = []
        for start in range(0, len(texts), _BATCH):
            stop = start + _BATCH
            results += self._lookup_batch(texts[start:stop], priors[start:stop])
        return results

    def evidence(self, texts: Sequence[str], languages: Sequence[str | None]) -> Evidence:
        """Raw evidence behind the scores (for calibration and diagnostics)."""
        return self._index.evidence(texts, languages)

    def _lookup_batch(self, texts: Sequence[str], priors: Sequence[str | None]) -> list[Lookup]:
        wordy = [i for i, text in enumerate(texts) if self._index.ids and tokens(fold(text))]
        results: dict[int, Lookup] = {}
        if wordy:
            found = self._index.evidence([texts[i] for i in wordy], [priors[i] for i in wordy])
            scores = candidate_scores(found)
            for row, i in enumerate(wordy):
                results[i] = self._result(scores[row], found.languages[row])
        return [results.get(i) or _nothing(t, priors[i]) for i, t in enumerate(texts)]

    def _result(self, scores: NDArray[np.float64], language: str) -> Lookup:
        order = np.argsort(-scores, kind="stable")[: MAX_ALTERNATIVES + 1]
        ranked = [Candidate(self._index.ids[j], round(float(scores[j]), 4)) for j in order]
        best = ranked[0]
        alternatives = tuple(c for c in ranked[1:] if c.score >= PLAUSIBLE)
        answered = best.entry_id if best.score >= self.threshold else None
        return Lookup(answered, best.score, language, alternatives, best)


def candidate_scores(found: Evidence) -> NDArray[np.float64]:
    """Calibrated confidence of every (question, entry) pair."""
    nearest = found.nearest.astype(np.float64)
    if found.margins.shape[1] == 0:  # a single entry: no classifier was trained
        return similarity_confidence(nearest)
    margins = found.margins.astype(np.float64)
    return confidence(margins, _lead(margins), nearest, _lead(nearest), found.few_shot)


def _lead(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each column's lead over the best other column in its row (negative when behind)."""
    if values.shape[1] < 2:
        return np.ones_like(values)
    top2 = -np.partition(-values, 1, axis=1)[:, :2]
    best_other = np.where(values >= top2[:, :1], top2[:, 1:2], top2[:, :1])
    return np.asarray(values - best_other, dtype=np.float64)


def _nothing(text: str, prior: str | None) -> Lookup:
    language, _ = detect_language(text, prior) if text else (prior or "en", 0.0)
    return Lookup(None, 0.0, language)
