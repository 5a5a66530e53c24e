"""Single-write cost of TinyDBStore as it grows, next to a naive single-file TinyDB."""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tinydb import TinyDB

from bot.models import Doc
from bot.storage import TinyDBStore, open_store

SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
NAIVE_SIZES = (1_000, 10_000)  # a naive file at 100k would take many minutes
STATUSES = ("open", "pending", "waiting", "solved")
ROUNDS = 5


@dataclass
class Result:
    """Timings of one store at one size."""

    name: str
    records: int
    insert_s: float  # mean seconds per insert of a new ticket
    update_s: float  # mean seconds per update of a random existing ticket
    open_s: float | None = None

    @property
    def write_ms(self) -> float:
        return (self.insert_s + self.update_s) / 2 * 1000


def ticket(number: int, rng: random.Random) -> Doc:
    """A ticket-like document of about 600 bytes as JSON."""
    at = f"2024-05-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
    return {
        "id": f"T-{number:07d}",
        "status": rng.choice(STATUSES),
        "customer": f"slack:U{rng.randrange(10**8):08d}",
        "department": rng.choice(("billing", "technical", "sales", "accounts")),
        "language": rng.choice(("en", "de", "fr", "es")),
        "subject": f"Cannot access my invoice number {rng.randrange(10**6)} from the portal",
        "created_at": at,
        "updated_at": at,
        "assignee": None,
        "history": [
            {"at": at, "event": "opened", "by": "customer", "note": "first message received"},
            {"at": at, "event": "triaged", "by": "bot", "note": "routed to the department"},
            {"at": at, "event": "replied", "by": "bot", "note": "asked for the account email"},
        ],
    }


def timed(action: Callable[[int], object], count: int) -> float:
    """Mean seconds per call of `action(i)` over `count` calls."""
    start = time.perf_counter()
    for i in range(count):
        action(i)
    return (time.perf_counter() - start) / count


@dataclass
class Bench:
    """A prefilled TinyDBStore under test and its accumulated write time."""

    size: int
    store: TinyDBStore
    open_s: float
    inserted: int = 0
    insert_s: float = 0.0
    update_s: float = 0.0


async def fill(root: Path, size: int, rng: random.Random) -> None:
    store = await open_store(root)
    await store.put_many("tickets", ((f"T-{i:07d}", ticket(i, rng)) for i in range(size)))
    await store.close()


async def prefilled(root: Path, size: int, rng: random.Random) -> Bench:
    await fill(root, size, rng)
    start = time.perf_counter()
    store = await open_store(root)  # reopening measures the start-up cost too
    return Bench(size, store, time.perf_counter() - start)


async def write_round(bench: Bench, count: int, rng: random.Random) -> None:
    """`count` inserts of new tickets, then `count` updates of random stored ones."""
    start = time.perf_counter()
    for number in range(bench.size + bench.inserted, bench.size + bench.inserted + count):
        await bench.store.put("tickets", f"T-{number:07d}", ticket(number, rng))
    bench.inserted += count
    middle = time.perf_counter()
    for number in (rng.randrange(bench.size) for _ in range(count)):
        await bench.store.put("tickets", f"T-{number:07d}", ticket(number, rng))
    bench.insert_s += middle - start
    bench.update_s += time.perf_counter() - middle


async def bench_stores(
    tmp: str, sizes: tuple[int, ...], writes: int, rng: random.Random
) -> list[Result]:
    benches = [await prefilled(Path(tmp, f"store{size}"), size, rng) for size in sizes]
    per_round = max(1, writes // ROUNDS)
    for _ in range(ROUNDS):  # interleaved, so a slow spell of the disk hits every size alike
        for bench in benches:
            await write_round(bench, per_round, rng)
    for bench in benches:
        await bench.store.close()
    done = per_round * ROUNDS
    name = "TinyDBStore (segments)"
    return [Result(name, b.size, b.insert_s / done, b.update_s / done, b.open_s) for b in benches]


def bench_naive(path: Path, size: int, writes: int, rng: random.Random) -> Result:
    with TinyDB(str(path)) as db:  # the default JSONStorage: one file, rewritten per write
        db.insert_multiple(ticket(i, rng) for i in range(size))
        insert_s = timed(lambda i: db.insert(ticket(size + i, rng)), writes)
        update_s = timed(lambda _: update_naive(db, size, rng), writes)
    return Result("naive TinyDB, one file", size, insert_s, update_s)


def update_naive(db: TinyDB, size: int, rng: random.Random) -> None:
    number = rng.randrange(size)
    db.update(ticket(number, rng), doc_ids=[number + 1])


def row(result: Result) -> str:
    opened = f"{result.open_s:8.2f}" if result.open_s is not None else f"{'-':>8}"
    return (
        f"{result.name:<24}{result.records:>9,}{1 / result.insert_s:>11,.0f}"
        f"{1 / result.update_s:>11,.0f}{1000 / result.write_ms:>10,.0f}"
        f"{result.write_ms:>10.2f}{opened}"
    )


def report(results: list[Result]) -> None:
    header = f"{'store':<24}{'records':>9}{'inserts/s':>11}{'updates/s':>11}"
    print(f"{header}{'writes/s':>10}{'ms/write':>10}{'open s':>8}")
    for result in results:
        print(row(result))
    ours = [r for r in results if r.open_s is not None]
    ratio = ours[-1].write_ms / ours[0].write_ms
    print(
        f"\nper-write cost at {ours[-1].records:,} vs {ours[0].records:,} records: "
        f"{ratio:.2f}x (target: within 2x)"
    )


async def run(sizes: tuple[int, ...], writes: int, naive_writes: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="store_bench_") as tmp:
        results = await bench_stores(tmp, sizes, writes, rng)
        for size in (s for s in NAIVE_SIZES if s in sizes):
            path = Path(tmp, f"naive{size}.json")
            results.append(await asyncio.to_thread(bench_naive, path, size, naive_writes, rng))
    report(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="sizes 1k and 10k only")
    parser.add_argument("--writes", type=int, default=300, help="inserts and updates per size")
    parser.add_argument("--naive-writes", type=int, default=30, help="the same, naive TinyDB")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = QUICK_SIZES if args.quick else SIZES
    asyncio.run(run(sizes, args.writes, args.naive_writes, args.seed))


if __name__ == "__main__":
    main()
