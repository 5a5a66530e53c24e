"""Start-up time and memory of `supportbot run` on PostgreSQL with a small and a big history,
side by side in one run: a process should not read the whole history to start, or to idle.

    python -m benchmarks.startup_bench --url postgresql://user@127.0.0.1:5432/postgres

For each size a scratch database is filled with a generated history (`benchmarks.history`:
six records per ticket: conversation, three messages, ticket, lookup); then the real bot
starts on it, and the time to its banner, its resident memory after `--idle` seconds (the
scheduler and retention have run by then) and its peak are printed."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.history import generate_history
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_admin import scratch_database

RECORDS_PER_TICKET = 6
SIZES = (1_000, 1_000_000)
BANNER = "Web chat:"


@dataclass(frozen=True)
class Started:
    records: int
    seconds: float
    rss_mb: float
    peak_mb: float


async def measure(server: str, records: int, idle: float) -> Started:
    async with scratch_database(server) as url:
        store = await PostgresStore.open(url)
        try:
            await generate_history(store, max(1, records // RECORDS_PER_TICKET))
        finally:
            await store.close()
        return await asyncio.to_thread(start_bot, url, records, idle)


def start_bot(url: str, records: int, idle: float) -> Started:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    env |= {"SUPPORTBOT_DATABASE_URL": url, "SUPPORTBOT_DATA_DIR": "data"}
    env |= {"SUPPORTBOT_DB_DIR": str(Path("/nonexistent")), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "bot", "--env-file", os.devnull, "run", "--port", "0"]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        seconds = _until_banner(process, started)
        time.sleep(idle)
        rss, peak = _memory(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return Started(records, seconds, rss, peak)


def _until_banner(process: subprocess.Popen[str], started: float) -> float:
    assert process.stdout is not None
    said: list[str] = []
    for line in process.stdout:
        said.append(line)
        if line.startswith(BANNER):
            return time.perf_counter() - started
    raise RuntimeError("the bot stopped before it was ready:\n" + "".join(said[-30:]))


def _memory(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory, in MB, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return _mb(fields["VmRSS"]), _mb(fields["VmHWM"])


def _mb(value: str) -> float:
    return int(value.split()[0]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="a PostgreSQL server for scratch databases")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds before memory is read")
    args = parser.parse_args()
    results = [asyncio.run(measure(args.url, size, args.idle)) for size in SIZES]
    for one in results:
        print(
            f"{one.records:>9,} records: ready in {one.seconds:.2f} s, "
            f"RSS {one.rss_mb:.0f} MB (peak {one.peak_mb:.0f} MB)"
        )
    small, big = results[0], results[-1]
    print(
        f"ratio big/small: start-up {big.seconds / small.seconds:.2f}x, "
        f"RSS {big.rss_mb / small.rss_mb:.2f}x, peak {big.peak_mb / small.peak_mb:.2f}x"
    )


if __name__ == "__main__":
    main()
