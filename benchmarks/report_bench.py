"""Reports on a generated history of 100,000 tickets: how long `supportbot report` takes.

    python -m benchmarks.report_bench [--tickets N]

The history (tickets, internal requests, transcripts, lookups over ~300 days of 2026) is
written to a temporary store; then the real command runs in a fresh process, as staff would
run it, for the default period (the last 30 days) and for the whole year."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.history import generate_history
from bot.storage import open_store

PERIODS = {"last 30 days": [], "whole year": ["--since", "2026-01-01"]}


async def generate(directory: Path, tickets: int) -> None:
    store = await open_store(directory)
    try:
        await generate_history(store, tickets)
    finally:
        await store.close()


def timed_report(directory: Path, args: list[str]) -> float:
    env = {**os.environ, "SUPPORTBOT_DB_DIR": str(directory), "SUPPORTBOT_DATA_DIR": "data"}
    command = [sys.executable, "-m", "bot", "--env-file", os.devnull, "report", *args]
    started = time.perf_counter()
    subprocess.run([*command, "--format", "json"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    tickets = parser.parse_args().tickets
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        started = time.perf_counter()
        asyncio.run(generate(directory, tickets))
        print(f"generated {tickets:,} tickets in {time.perf_counter() - started:.1f} s")
        for period, args in PERIODS.items():
            seconds = timed_report(directory, args)
            print(f"supportbot report ({period}, JSON), whole process: {seconds:.1f} s")


if __name__ == "__main__":
    main()
