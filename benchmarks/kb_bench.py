"""FAQ-matcher benchmark on CLINC150, BANKING77 and xSID: accuracy, out-of-scope, speed."""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import datasets as ds
from bot.kb.entries import Entry
from bot.kb.matcher import Matcher

SHOTS_FEW = 10
SPLITS = 5  # random BANKING77 splits averaged for the few-shot row
SINGLES = 500  # single lookups timed per row for its p99
HEADER = f"{'dataset':<14}{'ex/intent':>10}{'top-1':>8}{'acc(rej)':>9}{'OOS rec':>8}"
HEADER += f"{'OOS prec':>9}{'build s':>8}{'lookups/s':>10}{'p99 ms':>7}"


@dataclass
class Row:
    """One line of the results table (fractions in 0..1; NaN where not applicable)."""

    dataset: str
    shots: str
    top1: float
    accuracy: float
    oos_recall: float = float("nan")
    oos_precision: float = float("nan")
    build_s: float = float("nan")
    per_s: float = float("nan")
    p99_ms: float = float("nan")

    def line(self) -> str:
        pct = [
            f"{100 * v:7.1f}%" if v == v else f"{'-':>8}"
            for v in (self.top1, self.accuracy, self.oos_recall, self.oos_precision)
        ]
        return (
            f"{self.dataset:<14}{self.shots:>10}{pct[0]}{pct[1]:>9}{pct[2]}{pct[3]:>9}"
            f"{self.build_s:8.1f}{self.per_s:10.0f}{self.p99_ms:7.2f}"
        )


def evaluate(
    name: str,
    shots: str,
    kb: list[Entry],
    inside: ds.Pairs,
    oos: list[str],
    language: str = "en",
    singles: int = SINGLES,
) -> Row:
    """Build on `kb`, look up in-scope and out-of-scope queries, and score the answers."""
    start = time.perf_counter()
    matcher = Matcher.build(kb)
    built = time.perf_counter()
    found = matcher.lookup_many([t for t, _ in inside] + oos)
    elapsed = time.perf_counter() - built
    ins, out = found[: len(inside)], found[len(inside) :]
    top1 = np.mean(
        [f.best is not None and f.best.entry_id == i for f, (_, i) in zip(ins, inside, strict=True)]
    )
    accuracy = np.mean([f.entry_id == i for f, (_, i) in zip(ins, inside, strict=True)])
    row = Row(name, shots, float(top1), float(accuracy), build_s=built - start)
    row.per_s = len(found) / elapsed
    if oos:
        rejected_oos = sum(f.entry_id is None for f in out)
        rejected = rejected_oos + sum(f.entry_id is None for f in ins)
        row.oos_recall, row.oos_precision = rejected_oos / len(oos), rejected_oos / max(rejected, 1)
    row.p99_ms = single_p99(
        [t for t, _ in inside][:singles] + oos[: singles // 5], matcher, language
    )
    return row


def single_p99(texts: list[str], matcher: Matcher, language: str) -> float:
    """p99 in ms of one `lookup` call (the bot's path: one question at a time)."""
    times = []
    for text in texts:
        began = time.perf_counter()
        matcher.lookup(text, language)
        times.append(time.perf_counter() - began)
    return float(np.percentile(times, 99) * 1000)


def clinc_rows(root: Path, singles: int) -> list[Row]:
    data = ds.clinc(root)
    groups, oos = ds.by_intent(data["train"]), [t for t, _ in data["oos_val"]]
    return [
        evaluate(
            "clinc150", label, ds.entries(groups, per_intent=n), data["val"], oos, "en", singles
        )
        for label, n in (("all", 0), (str(SHOTS_FEW), SHOTS_FEW))
    ]


def banking_rows(root: Path, seed: int = 0) -> list[Row]:
    """BANKING77 train.csv split 80/20 per intent (its test.csv is never used); with 10
    examples per intent, the mean over SPLITS random splits (one split says little)."""
    data = ds.banking(root)
    train, test = ds.stratified_split(data, held_out=0.2, seed=seed)
    full = evaluate("banking77", "all", ds.entries(ds.by_intent(train)), test, [])
    few = []
    for split in range(seed + 1, seed + 1 + SPLITS):
        train, test = ds.stratified_split(data, held_out=0.2, seed=split)
        kb = ds.entries(ds.by_intent(train), per_intent=SHOTS_FEW)
        few.append(evaluate("", "", kb, test, [], singles=SINGLES // SPLITS))
    print(
        f"banking77, {SHOTS_FEW} per intent, splits {seed + 1}-{seed + SPLITS}: top-1 "
        + ", ".join(f"{100 * r.top1:.1f}" for r in few)
        + f" (min {100 * min(r.top1 for r in few):.1f}); answered right "
        + ", ".join(f"{100 * r.accuracy:.1f}" for r in few)
        + f" (min {100 * min(r.accuracy for r in few):.1f})"
    )
    return [full, _mean_row("banking77", f"{SHOTS_FEW} (mean)", few)]


def _mean_row(name: str, shots: str, parts: list[Row]) -> Row:
    return Row(
        name,
        shots,
        float(np.mean([p.top1 for p in parts])),
        float(np.mean([p.accuracy for p in parts])),
        build_s=float(np.mean([p.build_s for p in parts])),
        per_s=float(np.mean([p.per_s for p in parts])),
        p99_ms=float(np.mean([p.p99_ms for p in parts])),
    )


def xsid_rows(root: Path, k: int = 5) -> list[Row]:
    rows = []
    for language in ("da", "de"):
        parts = [
            evaluate("", "", ds.entries(ds.by_intent(train), language), test, [], language)
            for train, test in ds.folds(ds.xsid(language, root), k)
        ]
        rows.append(_mean_row(f"xsid-{language}", f"{k}-fold", parts))
    return rows


def speed(root: Path, singles: int) -> tuple[float, float]:
    """Seconds to build a 15,000-question KB and match 5,000 queries; p99 of one lookup (ms)."""
    data = ds.clinc(root)
    queries = [t for t, _ in data["val"] + data["oos_val"] + data["oos_train"]]
    queries = (queries * 2)[:5000]
    start = time.perf_counter()
    matcher = Matcher.build(ds.entries(ds.by_intent(data["train"])))
    matcher.lookup_many(queries)
    total = time.perf_counter() - start
    times = []
    for text in queries[:singles]:
        began = time.perf_counter()
        matcher.lookup(text, "en")
        times.append(time.perf_counter() - began)
    return total, float(np.percentile(times, 99) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=Path, default=ds.DEFAULT_ROOT)
    parser.add_argument("--quick", action="store_true", help="skip BANKING77 and xSID")
    parser.add_argument(
        "--seed", type=int, default=0, help="BANKING77 split (few-shot: the next five)"
    )
    args = parser.parse_args()
    rows = clinc_rows(args.datasets, 200 if args.quick else SINGLES)
    if not args.quick:
        rows += banking_rows(args.datasets, args.seed) + xsid_rows(args.datasets)
    total, p99 = speed(args.datasets, 200 if args.quick else 1000)
    print(HEADER)
    for row in rows:
        print(row.line())
    print(
        f"batch: build 15,000-question KB + match 5,000 queries: {total:.1f} s; "
        f"single lookup p99 {p99:.2f} ms (1,000 CLINC150 queries)"
    )


if __name__ == "__main__":
    main()
