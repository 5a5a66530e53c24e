"""Loaders for the public intent datasets in shared/datasets (see its README)."""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bot.kb.entries import Entry

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "datasets"
Pairs = list[tuple[str, str]]  # (text, intent)


def clinc(root: Path = DEFAULT_ROOT) -> dict[str, Pairs]:
    """CLINC150 splits: train, val, oos_train, oos_val."""
    data = json.loads((root / "clinc150" / "clinc150_train_val.json").read_text())
    return {split: [(text, intent) for text, intent in rows] for split, rows in data.items()}


def banking(root: Path = DEFAULT_ROOT) -> Pairs:
    """BANKING77 train.csv as (text, category) pairs."""
    with (root / "banking77" / "train.csv").open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle)]


def xsid(language: str, root: Path = DEFAULT_ROOT) -> Pairs:
    """xSID validation utterances in one language (the `# text =` / `# intent =` lines)."""
    pairs: Pairs = []
    text = ""
    for line in (
        (root / "xsid" / f"{language}.valid.conll").read_text(encoding="utf-8").splitlines()
    ):
        if line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
        elif line.startswith("# intent ="):
            pairs.append((text, line.split("=", 1)[1].strip()))
    return pairs


def by_intent(pairs: Pairs) -> dict[str, list[str]]:
    """Utterances grouped by intent, in file order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for text, intent in pairs:
        groups[intent].append(text)
    return dict(groups)


def entries(groups: dict[str, list[str]], language: str = "en", per_intent: int = 0) -> list[Entry]:
    """One entry per intent, its first `per_intent` utterances (0: all) as example questions."""
    return [
        Entry(intent, {language: tuple(texts[:per_intent] if per_intent else texts)}, {})
        for intent, texts in sorted(groups.items())
    ]


def stratified_split(pairs: Pairs, held_out: float, seed: int = 0) -> tuple[Pairs, Pairs]:
    """Split each intent's utterances (shuffled with the seed) into train and held-out parts."""
    rng = random.Random(seed)
    train: Pairs = []
    test: Pairs = []
    for intent, texts in sorted(by_intent(pairs).items()):
        shuffled = list(texts)
        rng.shuffle(shuffled)
        cut = max(1, round(len(shuffled) * held_out))
        test += [(text, intent) for text in shuffled[:cut]]
        train += [(text, intent) for text in shuffled[cut:]]
    return train, test


def folds(pairs: Sequence[tuple[str, str]], k: int) -> list[tuple[Pairs, Pairs]]:
    """k (train, held-out) splits where every utterance is held out exactly once."""
    indexed = list(enumerate(pairs))
    return [
        ([p for i, p in indexed if i % k != fold], [p for i, p in indexed if i % k == fold])
        for fold in range(k)
    ]
