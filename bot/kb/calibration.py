"""Turns a candidate's raw evidence into a confidence in [0, 1] (P(the answer is right))."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

# Logistic models fitted once, offline, by `python -m benchmarks.kb_calibrate` on CLINC150
# *training* data only: knowledge bases of 5, 10, 20 and 80 examples per intent (pooled, so
# one threshold fits small and large KBs), queries = held-back training utterances (answer
# right = 1, wrong = 0) plus out-of-scope queries (0): oos_train and 30 intents left out of
# the KB. Inputs: the classifier margin of the candidate, its gap to the best other
# candidate, its nearest example's cosine, and that cosine's gap to the best other entry's.
# Two fits: WEIGHTS for SVM margins (every config above, logistic regression switched off) and
# FEW_SHOT_WEIGHTS for few-shot KBs (configs of at most index.FEW_SHOT examples per entry),
# whose margins include logistic-regression logits, on a different scale.
WEIGHTS: tuple[float, float, float, float] = (0.432, 3.868, 6.288, -3.33)
BIAS = -3.818
FEW_SHOT_WEIGHTS: tuple[float, float, float, float] = (0.293, 0.761, 3.605, -0.61)
# The fitted few-shot bias (-3.606) plus an operating-point shift of 0.3 (odds x1.35): as
# fitted, 10-example KBs withheld a right answer for one question in nine (BANKING77, five
# splits: top-1 73.7 %, answered right 65.4 %) and rejected more out-of-scope questions than
# full KBs do (CLINC150 10-shot OOS recall 80 % vs 76 % with all examples). With the shift:
# 68.5 % answered right, CLINC150 10-shot OOS recall 69 %. A withheld answer still shows the
# plausible entries as buttons (C3), so the shift trades a click for an answer.
FEW_SHOT_BIAS = -3.606 + 0.3
# A knowledge base with a single entry has no classifier: nearest-example cosine only.
NN_WEIGHT, NN_BIAS = 10.415, -4.203


def confidence(
    margin: Array, gap: Array, nearest: Array, nearest_gap: Array, few_shot: bool = False
) -> Array:
    """Calibrated confidence of candidates from their classifier and similarity evidence."""
    w, bias = (FEW_SHOT_WEIGHTS, FEW_SHOT_BIAS) if few_shot else (WEIGHTS, BIAS)
    logit = w[0] * margin + w[1] * gap + w[2] * nearest + w[3] * nearest_gap + bias
    return _sigmoid(logit)


def similarity_confidence(nearest: Array) -> Array:
    """Calibrated confidence from the nearest example's cosine alone (one-entry KBs)."""
    return _sigmoid(NN_WEIGHT * nearest + NN_BIAS)


def _sigmoid(logit: Array) -> Array:
    return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)
