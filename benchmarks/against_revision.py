"""The dispatch benchmark (TinyDB on disk) on this working tree and on an earlier revision,
alternately in one run, so the comparison is side by side on the same, noisy machine.

    python -m benchmarks.against_revision 7c48c49 --rounds 3

The earlier revision is checked out into a temporary git worktree and run with this
virtualenv's interpreter (its dependencies must still import).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent.parent
RATE = re.compile(r"->\s+([\d,]+) messages/s")


def rate(tree: Path, conversations: int) -> float:
    """One run of benchmarks.dispatch_bench in `tree`: messages per second."""
    command = [sys.executable, "-m", "benchmarks.dispatch_bench"]
    command += ["--conversations", str(conversations)]
    output = subprocess.run(
        command, cwd=tree, env={"PYTHONPATH": str(tree)}, capture_output=True, text=True, check=True
    ).stdout
    found = RATE.search(output)
    if found is None:
        raise SystemExit(f"no figure in the output of {tree}:\n{output}")
    return float(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("revision", help="the earlier commit to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--conversations", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        old = Path(scratch) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", str(old), args.revision], cwd=HERE,
                       check=True, capture_output=True)  # fmt: skip
        try:
            figures: dict[str, list[float]] = {args.revision: [], "this tree": []}
            for round_ in range(args.rounds):
                for label, tree in ((args.revision, old), ("this tree", HERE)):
                    figures[label].append(rate(tree, args.conversations))
                    print(f"round {round_ + 1}, {label:>10}: {figures[label][-1]:7,.0f} messages/s")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=HERE, check=True)
    before, after = median(figures[args.revision]), median(figures["this tree"])
    print(f"median: {args.revision} {before:,.0f}, this tree {after:,.0f} messages/s "
          f"({after / before:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
