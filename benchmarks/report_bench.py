"""Reports on a generated history of 100,000 tickets: how long `supportbot report` takes.

    python -m benchmarks.report_bench [--tickets N] [--url postgresql://...]

The history (tickets, internal requests, transcripts, lookups over ~300 days of 2026) is
written to a temporary store; then the real command runs in a fresh process, as staff would
run it, for the default period (the last 30 days) and for the whole year. With `--url` the
same is done on a scratch database on that PostgreSQL server as well, side by side: there
the report is counted in SQL over the tickets' stored facts, which the first report stores
(the history is written without them, like a store from before they were kept)."""

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
from bot.ports import Store
from bot.storage import open_store
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_admin import scratch_database

PERIODS = {"last 30 days": [], "whole year": ["--since", "2026-01-01"]}


async def generate(store: Store, tickets: int) -> None:
    started = time.perf_counter()
    try:
        await generate_history(store, tickets)
    finally:
        await store.close()
    print(f"generated {tickets:,} tickets in {time.perf_counter() - started:.1f} s")


def timed_report(directory: Path, args: list[str], url: str = "") -> float:
    env = {**os.environ, "SUPPORTBOT_DB_DIR": str(directory), "SUPPORTBOT_DATA_DIR": "data"}
    env["SUPPORTBOT_DATABASE_URL"] = url
    command = [sys.executable, "-m", "bot", "--env-file", os.devnull, "report", *args]
    started = time.perf_counter()
    subprocess.run([*command, "--format", "json"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--url", default="", help="a PostgreSQL server for a scratch database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        print("TinyDB:")
        asyncio.run(generate_on_tinydb(directory, args.tickets))
        report_each_period(directory)
        if args.url:
            print("PostgreSQL:")
            asyncio.run(on_postgres(args.url, directory, args.tickets))


async def generate_on_tinydb(directory: Path, tickets: int) -> None:
    await generate(await open_store(directory), tickets)


async def on_postgres(server: str, directory: Path, tickets: int) -> None:
    async with scratch_database(server) as url:
        await generate(await PostgresStore.open(url), tickets)
        unused = directory / "unused"
        # The history was written without the facts the bot stores with each ticket: the
        # first report measures and stores them, as after an upgrade; later ones count them.
        seconds = await asyncio.to_thread(timed_report, unused, PERIODS["whole year"], url)
        print(
            f"first report after the upgrade (whole year; measures every ticket): {seconds:.1f} s"
        )
        await asyncio.to_thread(report_each_period, unused, url)


def report_each_period(directory: Path, url: str = "") -> None:
    for period, args in PERIODS.items():
        seconds = timed_report(directory, args, url)
        print(f"supportbot report ({period}, JSON), whole process: {seconds:.1f} s")


if __name__ == "__main__":
    main()
