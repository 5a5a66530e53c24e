"""py3langid (the bot's detector) against lingua-language-detector on the openings corpus:
accuracy of the detector alone and inside the bot's weighing, load time and memory.

    python -m benchmarks.language_detectors      (lingua is optional: pip install it first)
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from bot.kb.entries import LANGUAGES
from bot.kb.language import language_probabilities
from tests.openings import Opening, load_corpus

Detector = Callable[[str], dict[str, float]]


def lingua_detector() -> Detector | None:
    try:
        from lingua import Language, LanguageDetectorBuilder  # type: ignore[import-not-found]
    except ImportError:
        return None
    codes: dict[Any, str] = {
        Language.ENGLISH: "en",
        Language.GERMAN: "de",
        Language.DANISH: "da",
        Language.SWEDISH: "sv",
        Language.GREEK: "el",
        Language.SLOVAK: "sk",
    }
    built = LanguageDetectorBuilder.from_languages(*codes).with_preloaded_language_models()
    detector = built.build()

    def detect(text: str) -> dict[str, float]:
        found = detector.compute_language_confidence_values(text)
        return {codes[c.language]: float(c.value) for c in found}

    return detect


def accuracy(detect: Detector, corpus: list[Opening]) -> Counter[str]:
    right: Counter[str] = Counter()
    for opening in corpus:
        scores = detect(opening.text) or dict.fromkeys(LANGUAGES, 0.0)
        right[opening.lang] += max(scores, key=lambda c: scores[c]) == opening.lang
    return right


def timed_load(make: Callable[[], Detector | None]) -> tuple[Detector | None, float, float]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    detect = make()
    if detect is not None:
        detect("warm up the model")
    seconds = time.perf_counter() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return detect, seconds, grown_mb


def main() -> None:
    corpus = load_corpus()
    totals = Counter(o.lang for o in corpus)
    rows: list[tuple[str, Counter[str], float, float, float]] = []
    for name, make in (("py3langid", lambda: language_probabilities), ("lingua", lingua_detector)):
        detect, seconds, grown = timed_load(make)
        if detect is None:
            print(f"{name}: not installed, skipped")
            continue
        start = time.perf_counter()
        right = accuracy(detect, corpus)
        per_text_ms = 1000 * (time.perf_counter() - start) / len(corpus)
        rows.append((name, right, seconds, grown, per_text_ms))
    print("| detector | " + " | ".join(sorted(totals)) + " | all | load s | memory MB | ms/text |")
    print("|---|" + "---|" * (len(totals) + 5))
    for name, right, seconds, grown, per_text in rows:
        cells = [f"{100 * right[c] / totals[c]:.1f}" for c in sorted(totals)]
        overall = 100 * sum(right.values()) / len(corpus)
        print(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {overall:.1f} | {seconds:.2f} | {grown:.0f} | {per_text:.2f} |"
        )


if __name__ == "__main__":
    main()
