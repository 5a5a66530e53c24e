"""Export, delete and retention on a generated history of 100,000 tickets (TinyDB on disk).

python -m benchmarks.privacy_bench [--tickets N] [--seed S]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.history import START, generate_history
from bot.cli_customer import EXPORTED
from bot.config import Settings
from bot.models import Doc
from bot.privacy.erase import erase_customer
from bot.privacy.export import export_customer, to_json
from bot.privacy.retention import run_retention
from bot.storage import TinyDBStore, open_store
from bot.storage.readonly import ReadOnlyStore
from bot.wiring import build_bot

T = TypeVar("T")
NOW = START + timedelta(days=500)  # the history spans 300 days: 365 days back cuts through it
CUSTOMER, OTHER = "web:cust-123", "web:cust-124"


class FixedClock:
    def now(self) -> datetime:
        return NOW


async def timed(label: str, work: Awaitable[T]) -> T:
    started = time.perf_counter()
    result = await work
    took = time.perf_counter() - started
    print(f"{label}: " + (f"{took * 1000:.0f} ms" if took < 1 else f"{took:.2f} s"), flush=True)
    return result


def figures(tickets: list[Doc]) -> dict[str, Any]:
    """What reports count: states, ratings and the history's event kinds and times."""
    return {
        "states": Counter((t["kind"], t["status"], t["department"]) for t in tickets),
        "ratings": Counter(t["rating"] for t in tickets),
        "events": hash(tuple((e["what"], e["at"]) for t in tickets for e in t["history"])),
    }


async def bench(tickets: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "db"
        store = await open_store(root)
        await timed(f"generate {tickets:,} tickets", generate_history(store, tickets, seed))
        await store.close()
        store = await timed("open the store", open_store(root))
        counts = {c: await store.count(c) for c in ("conversations", "messages", "tickets")}
        print("records:", ", ".join(f"{n:,} {c}" for c, n in counts.items()))
        await _customer(store, root)
        before = figures(await store.find("tickets"))
        services = build_bot(Settings(db_dir=root), store, FixedClock()).services
        done = await timed("retention run (365 days)", run_retention(services))
        print(f"  {done.summary()}")
        same = figures(await store.find("tickets")) == before
        print(f"  report figures unchanged after retention: {same}")
        await store.close()


async def _customer(store: TinyDBStore, root: Path) -> None:
    export = await timed(f"export {CUSTOMER}", export_customer(store, CUSTOMER, NOW))
    assert export is not None
    size = len(to_json(export).encode())
    print(f"  {len(export['tickets'])} tickets, {size:,} bytes of JSON")
    await timed(f"export {OTHER} (field indexes now built)", export_customer(store, OTHER, NOW))
    copy = await timed("read-only copy for an export while the bot runs", _copy(root))
    await timed("  export from it", export_customer(copy, CUSTOMER, NOW))
    done = await timed(f"delete {CUSTOMER}", erase_customer(store, CUSTOMER, NOW))
    assert done is not None
    print(f"  {done.summary()}")


async def _copy(root: Path) -> ReadOnlyStore:
    return await ReadOnlyStore.open(root, EXPORTED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(bench(args.tickets, args.seed))


if __name__ == "__main__":
    main()
