"""What one scheduler tick costs with many jobs pending (follow-ups, holds, deadlines), on
PostgreSQL: each process looks for due jobs and for the next one about every second.

    python -m benchmarks.scheduler_bench --url postgresql://user@127.0.0.1:5432/postgres

A scratch database gets `--jobs` jobs due over the coming weeks; then `--ticks` ticks
(`run_due` and the look for the next due time) are timed, wall and CPU."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.clock import SystemClock
from bot.ports import Store
from bot.scheduler import JOBS, Scheduler
from bot.scheduler_jobs import stamp
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_admin import scratch_database


async def measure(server: str, jobs: int, ticks: int) -> None:
    async with scratch_database(server) as url:
        store = await PostgresStore.open(url)
        try:
            scheduler = Scheduler(store, SystemClock())
            scheduler.on("followup", _never)
            now = datetime.now(UTC)
            for n in range(jobs):
                await scheduler.schedule("followup", now + timedelta(hours=1 + n), {"n": n})
            for _ in range(3):  # alternately, so both see the same machine
                _print("tick (spans)", jobs, await _timed(ticks, lambda: scheduler.tick(1.0)))
                _print("tick as before", jobs, await _timed(ticks, lambda: _scans(store)))
        finally:
            await store.close()


async def _scans(store: Store) -> None:
    """What a tick did before spans: two passes over every pending job, in this process."""
    now = stamp(datetime.now(UTC))
    await store.find(JOBS, lambda doc: bool(doc["due"] <= now))
    await store.find(JOBS, lambda doc: False)


async def _timed(ticks: int, tick: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(ticks):
        await tick()
    return (time.perf_counter() - wall) / ticks, (time.process_time() - cpu) / ticks


def _print(what: str, jobs: int, timing: tuple[float, float]) -> None:
    wall, cpu = timing
    print(f"{what:>15}, {jobs:,} pending jobs: {1000 * wall:6.1f} ms, CPU {1000 * cpu:6.1f} ms")


async def _never(job: object) -> None:
    raise AssertionError("no job is due in this benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="a PostgreSQL server for scratch databases")
    parser.add_argument("--jobs", type=int, default=5_000)
    parser.add_argument("--ticks", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(measure(args.url, args.jobs, args.ticks))


if __name__ == "__main__":
    main()
