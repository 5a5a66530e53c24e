"""Matcher accuracy floor on a small deterministic slice of CLINC150 (skipped without data)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.kb.entries import Entry
from bot.kb.matcher import Matcher

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "clinc150"
SOURCE = DATA / "clinc150_train_val.json"


@pytest.mark.skipif(not SOURCE.exists(), reason=f"CLINC150 not found at {SOURCE}")
def test_clinc_slice_accuracy_and_rejection() -> None:
    data = json.loads(SOURCE.read_text())
    groups: dict[str, list[str]] = defaultdict(list)
    for text, intent in data["train"]:
        groups[intent].append(text)
    intents = sorted(groups)[:20]
    matcher = Matcher.build([Entry(i, {"en": tuple(groups[i])}, {}) for i in intents])
    queries = [(t, i) for t, i in data["val"] if i in intents]
    found = matcher.lookup_many([t for t, _ in queries])
    accuracy = sum(f.entry_id == i for f, (_, i) in zip(found, queries, strict=True)) / len(queries)
    rejected = sum(f.entry_id is None for f in matcher.lookup_many([t for t, _ in data["oos_val"]]))
    assert accuracy >= 0.9
    assert rejected >= 50
