"""Customer messages per second end to end (Bot.dispatch, the sample knowledge base, every
write durable) on each engine, side by side in one run: TinyDB in one process, PostgreSQL
with one process, and PostgreSQL with two processes sharing the database.

    python -m benchmarks.engines_bench --url postgresql://user@127.0.0.1:5432/postgres

The URL names a server where a scratch database may be created (and is dropped after);
`eval "$(scripts/pg_throwaway.sh)"` starts one, then use $SUPPORTBOT_TEST_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from benchmarks.dispatch_bench import SCRIPT, dispatching_bot, handle
from bot.models import Address, Incoming, Person
from bot.ports import Store
from bot.storage import open_store
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_admin import scratch_database

T = TypeVar("T")

STEADY_RATE = 100.0  # messages/s offered for the latency figures
STEADY_SECONDS = 20.0


async def steady_latency(store: Store, rate: float = STEADY_RATE) -> tuple[float, float]:
    """Messages offered at `rate` a second for STEADY_SECONDS, from 200 customers in turn
    (each customer's next message waits for its previous answer, as a person would): the
    median and the 99th percentile time from sending to the answer, in ms."""
    bot = await dispatching_bot(store)
    count = int(rate * STEADY_SECONDS)
    latencies: list[float] = []
    previous: dict[int, asyncio.Task[None]] = {}

    async def one(number: int, after: asyncio.Task[None] | None) -> None:
        if after is not None:
            await after
        customer, step = number % 200, (number // 200) % len(SCRIPT)
        person, address = Person("web", f"s{customer}"), Address("web", f"s{customer}")
        started = time.perf_counter()
        await bot.dispatch(Incoming.message(person, address, SCRIPT[step]))
        latencies.append(1000 * (time.perf_counter() - started))

    begin = time.perf_counter()
    for number in range(count):
        await asyncio.sleep(max(0.0, begin + number / rate - time.perf_counter()))
        customer = number % 200
        previous[customer] = asyncio.create_task(one(number, previous.get(customer)))
    await asyncio.gather(*previous.values())
    ordered = sorted(latencies)
    return ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)]


async def latency_on_tinydb() -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as root:
        store = await open_store(Path(root) / "db")
        try:
            return await steady_latency(store)
        finally:
            await store.close()


async def latency_on_postgres(url: str) -> tuple[float, float]:
    store = await PostgresStore.open(url)
    try:
        return await steady_latency(store)
    finally:
        await store.close()


async def on_tinydb(conversations: int, concurrent: int) -> float:
    with tempfile.TemporaryDirectory() as root:
        store = await open_store(Path(root) / "db")
        try:
            messages, elapsed = await handle(store, conversations, concurrent)
        finally:
            await store.close()
    return messages / elapsed


async def on_postgres(url: str, conversations: int, concurrent: int, first: int = 0) -> float:
    store = await PostgresStore.open(url)
    try:
        messages, elapsed = await handle(store, conversations, concurrent, first)
    finally:
        await store.close()
    return messages / elapsed


def on_two_processes(url: str, conversations: int, concurrent: int) -> float:
    """Two worker processes, each half the customers, started together; all messages over
    the wall time from the first start to the last finish."""
    start_at = time.time() + 3.0  # both have loaded the knowledge base by then
    half = conversations // 2
    command = [sys.executable, "-m", "benchmarks.engines_bench", "--worker", "--url", url]
    command += ["--conversations", str(half), "--concurrent", str(concurrent)]
    command += ["--start-at", str(start_at)]
    workers = [
        subprocess.Popen([*command, "--first", str(n * half)], stdout=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    results = [json.loads(worker.communicate(timeout=600)[0]) for worker in workers]
    wall = max(r["finished"] for r in results) - min(r["started"] for r in results)
    return float(sum(r["messages"] for r in results) / wall)


async def worker(url: str, first: int, conversations: int, concurrent: int, at: float) -> None:
    store = await PostgresStore.open(url)
    await asyncio.sleep(max(0.0, at - time.time()))
    started = time.time()
    try:
        messages, _ = await handle(store, conversations, concurrent, first)
    finally:
        await store.close()
    print(json.dumps({"messages": messages, "started": started, "finished": time.time()}))


async def on_scratch(server: str, run: Callable[[str], Awaitable[T]]) -> T:
    """`run` on a new, migrated database on `server`, dropped afterwards."""
    async with scratch_database(server) as url:
        return await run(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=os.environ.get("SUPPORTBOT_TEST_DATABASE_URL", ""))
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=20)
    parser.add_argument("--latency", action="store_true", help="also latency at 100 messages/s")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(
            worker(args.url, args.first, args.conversations, args.concurrent, args.start_at)
        )
        return
    if not args.url:
        sys.exit("Give --url postgresql://... (or set SUPPORTBOT_TEST_DATABASE_URL).")
    n, c = args.conversations, args.concurrent
    print(f"{n} conversations of {len(SCRIPT)} messages, {c} at once per process")
    print(f"TinyDB, one process:        {asyncio.run(on_tinydb(n, c)):7,.0f} messages/s")
    runs: list[tuple[str, Callable[[str], Awaitable[float]]]] = [
        ("PostgreSQL, one process:   ", lambda url: on_postgres(url, n, c)),
        ("PostgreSQL, two processes: ", lambda url: asyncio.to_thread(on_two_processes, url, n, c)),
    ]
    for label, run in runs:
        print(f"{label} {asyncio.run(on_scratch(args.url, run)):7,.0f} messages/s")
    if args.latency:
        print(f"latency at a steady {STEADY_RATE:.0f} messages/s for {STEADY_SECONDS:.0f} s:")
        median, p99 = asyncio.run(latency_on_tinydb())
        print(f"TinyDB, one process:         median {median:6.1f} ms, p99 {p99:6.1f} ms")
        median, p99 = asyncio.run(on_scratch(args.url, latency_on_postgres))
        print(f"PostgreSQL, one process:     median {median:6.1f} ms, p99 {p99:6.1f} ms")


if __name__ == "__main__":
    main()
