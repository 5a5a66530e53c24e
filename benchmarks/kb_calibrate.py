"""Fits the matcher's confidence calibration (bot/kb/calibration.py) on CLINC150 train data."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from benchmarks.datasets import DEFAULT_ROOT, by_intent, clinc, entries
from bot.kb import index
from bot.kb.matcher import Matcher

# (entries in the KB, example questions per entry): small FAQ-sized KBs to CLINC-sized ones
CONFIGS = [(3, 5), (5, 5), (10, 5), (30, 5), (30, 10), (120, 5), (120, 10), (120, 20), (120, 80)]
# Two calibrations: WEIGHTS for the SVM alone, fitted on all configs with the logistic regression
# switched off (index.FEW_SHOT = 0), and FEW_SHOT_WEIGHTS on the configs where the index adds it.
KB_POOL = 80  # each intent's first 80 training utterances may be examples; the rest are queries
Rows = tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_], bool]


def config_rows(data: dict[str, list[tuple[str, str]]], size: int, shots: int, seed: int) -> Rows:
    """Features, answer-right labels and in-scope flags of one sampled KB's queries."""
    groups = by_intent(data["train"])
    rng = random.Random(seed)
    chosen = set(rng.sample(sorted(groups), size))
    kb = entries({i: t[:KB_POOL] for i, t in groups.items() if i in chosen}, per_intent=shots)
    inside = [(t, i) for i in sorted(chosen) for t in groups[i][KB_POOL:]]
    outside = [(t, "") for i in sorted(set(groups) - chosen) for t in groups[i][KB_POOL:]]
    outside = rng.sample(outside, min(len(outside), len(inside))) + data["oos_train"]
    queries = inside + [(t, "") for t, _ in outside]
    matcher = Matcher.build(kb)
    found = matcher.evidence([t for t, _ in queries], [None] * len(queries))
    x, top = features(found.margins, found.nearest)
    ids = np.array(matcher._index.ids)  # the script calibrates internals
    right = ids[top] == np.array([i for _, i in queries])
    return x, right, np.array([bool(i) for _, i in queries]), found.few_shot


def features(
    margins: NDArray[np.float32], nearest: NDArray[np.float32]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """[margin, margin lead, nearest cosine, cosine lead] of each row's top-margin entry."""
    from bot.kb.matcher import _lead

    m, n = margins.astype(np.float64), nearest.astype(np.float64)
    top = m.argmax(axis=1)
    rows = np.arange(len(m))
    cols = [m, _lead(m), n, _lead(n)]
    return np.stack([c[rows, top] for c in cols], axis=1), top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_ROOT)
    args = parser.parse_args()
    data = clinc(args.datasets)
    few = [(size, shots) for size, shots in CONFIGS if shots <= index.FEW_SHOT]
    few_rows = [config_rows(data, size, shots, CONFIGS.index((size, shots))) for size, shots in few]
    assert all(r[3] for r in few_rows)
    few_shot, index.FEW_SHOT = index.FEW_SHOT, 0  # the SVM alone, on every config
    per_config = [
        config_rows(data, size, shots, seed) for seed, (size, shots) in enumerate(CONFIGS)
    ]
    index.FEW_SHOT = few_shot
    models = {False: fit(per_config), True: fit(few_rows)}
    for name, model in (("WEIGHTS, BIAS", models[False]), ("FEW_SHOT_*", models[True])):
        print(name, "=", tuple(np.round(model.coef_[0], 3)), round(model.intercept_[0], 3))
    print("(bot/kb/calibration.py adds its few-shot operating-point shift to FEW_SHOT_BIAS)")
    nn = fit(per_config, columns=slice(2, 3))
    print("NN_WEIGHT, NN_BIAS =", round(nn.coef_[0][0], 3), round(nn.intercept_[0], 3))
    for (size, shots), (cx, right, inside, few_shot) in zip(
        CONFIGS + few, per_config + few_rows, strict=True
    ):
        p = models[few_shot].predict_proba(cx)[:, 1]
        for threshold in (0.2, 0.25, 0.3, 0.4, 0.5):
            kept = p >= threshold
            accuracy, recall = (right & kept)[inside].mean(), (~kept)[~inside].mean()
            label = f"{size:4d} x {shots:3d} {'LR+SVM' if few_shot else 'SVM'}"
            print(f"{label} th {threshold}: acc {accuracy:.3f} OOS {recall:.3f}")
    threshold_table(data)


def fit(rows: list[Rows], columns: slice = slice(None)) -> LogisticRegression:
    """Logistic model of answer-right on the features, each config weighted equally."""
    x = np.vstack([r[0][:, columns] for r in rows])
    y = np.concatenate([r[1] & r[2] for r in rows])
    weights = np.concatenate([np.full(len(r[1]), 1 / len(r[1])) for r in rows])
    return LogisticRegression(C=10).fit(x, y, sample_weight=weights * len(x))


def threshold_table(data: dict[str, list[tuple[str, str]]]) -> None:
    """With the constants in calibration.py: CLINC KB of 80/intent, the other 20 + oos_train."""
    groups = by_intent(data["train"])
    matcher = Matcher.build(entries({i: t[:KB_POOL] for i, t in groups.items()}))
    inside = [(t, i) for i, texts in groups.items() for t in texts[KB_POOL:]]
    found = matcher.lookup_many([t for t, _ in inside] + [t for t, _ in data["oos_train"]])
    scores = np.array([f.best.score if f.best else 0.0 for f in found])
    right = np.array(
        [
            f.best is not None and f.best.entry_id == i
            for f, (_, i) in zip(found, inside, strict=False)
        ]
    )
    n = len(inside)
    for threshold in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        accuracy = (right & (scores[:n] >= threshold)).mean()
        recall = (scores[n:] < threshold).mean()
        print(f"threshold {threshold}: accuracy {accuracy:.4f} OOS recall {recall:.2f}")


if __name__ == "__main__":
    main()
