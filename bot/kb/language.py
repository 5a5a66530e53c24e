"""Offline language detection over the bot's six languages (py3langid's bundled model)."""

from __future__ import annotations

import threading
import unicodedata
from functools import cache, lru_cache
from typing import Any

from bot.kb.entries import LANGUAGES

# py3langid confuses Danish with Norwegian (Bokmål and Nynorsk) on short texts; we serve no
# Norwegian, so Norwegian evidence counts as Danish.
_MERGED_INTO = {"no": "da", "nn": "da"}
CONFIDENT = 0.9  # a guess at least this sure may override the conversation's language
SHORT_WORDS = 3  # texts this short ("ok", "tak", "hej hej") keep the previous language
_PREVIOUS_FLOOR = 0.02  # ...unless the detector all but rules the previous language out
_GREEK_SHARE = 0.5  # Greek script is unambiguous: more than half of the letters decides
_lock = threading.Lock()  # the identifier keeps numpy state; lookups may come from threads


def language_probabilities(text: str) -> dict[str, float]:
    """Probability of each of our languages for the text (uniform when there is no evidence)."""
    return dict(_probabilities(text))


@lru_cache(maxsize=1024)  # one message is weighed by several handlers and the matcher
def _probabilities(text: str) -> tuple[tuple[str, float], ...]:
    return tuple(_compute_probabilities(text).items())


def _compute_probabilities(text: str) -> dict[str, float]:
    if _greek_share(text) > _GREEK_SHARE:
        return {lang: float(lang == "el") for lang in LANGUAGES}
    with _lock:
        ranked = _identifier().rank(text)
    probabilities = dict.fromkeys(LANGUAGES, 0.0)
    for code, probability in ranked:
        merged = _MERGED_INTO.get(code, code)
        # max, not sum: featureless text stays uniform instead of tilting towards Danish
        probabilities[merged] = max(probabilities[merged], float(probability))
    total = sum(probabilities.values()) or 1.0
    return {lang: probability / total for lang, probability in probabilities.items()}


def detect_language(text: str, previous: str | None = None) -> tuple[str, float]:
    """The text's language and the detector's confidence in it.

    A weak guess alone does not switch languages: short or ambiguous texts keep `previous`
    (the conversation's current language) unless the detector rules it out.
    """
    return choose_language(language_probabilities(text), text, previous)


def choose_language(
    probabilities: dict[str, float], text: str, previous: str | None
) -> tuple[str, float]:
    """Apply the keep-the-previous-language rule to detector probabilities."""
    best = max(probabilities, key=lambda lang: probabilities[lang])
    confidence = probabilities[best]
    if previous is None or previous == best or previous not in probabilities:
        return best, confidence
    short = len(text.split()) <= SHORT_WORDS
    if (short or confidence < CONFIDENT) and probabilities[previous] >= _PREVIOUS_FLOOR:
        return previous, probabilities[previous]
    return best, confidence


def _greek_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    greek = sum(1 for c in letters if unicodedata.name(c, "").startswith("GREEK"))
    return greek / len(letters)


def load_identifier() -> None:
    """Load the language model now (about 0.6 s), not on the first customer's message."""
    _identifier()


@cache
def _identifier() -> Any:  # py3langid ships no type hints
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([*LANGUAGES, *_MERGED_INTO])
    return identifier
