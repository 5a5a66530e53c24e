"""The core's own CPU per customer message: Bot.dispatch on the in-memory store (no disk, no
database), with the sample knowledge base and departments, after the warm-up `supportbot run`
does. What it prints is the process's CPU time over the messages, divided by their number.

    python -m benchmarks.core_cpu_bench [--conversations N] [--profile]

With `--profile`, the functions that spend the most of it are listed (cProfile doubles the
time; the shares are what matter)."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time

from benchmarks.dispatch_bench import SCRIPT, dispatching_bot
from bot.core import Bot
from bot.models import Address, Incoming, Person
from bot.storage import MemoryStore

CONCURRENT = 20
SHOWN = 25


async def conversations(bot: Bot, first: int, count: int) -> None:
    gate = asyncio.Semaphore(CONCURRENT)

    async def customer(number: int) -> None:
        async with gate:
            person, address = Person("web", f"u{number}"), Address("web", f"c{number}")
            for text in SCRIPT:
                await bot.dispatch(Incoming.message(person, address, text))

    await asyncio.gather(*(customer(n) for n in range(first, first + count)))


async def measure(count: int, profile: cProfile.Profile | None) -> tuple[int, float, float]:
    """(messages, CPU seconds, wall seconds) for `count` conversations after a warm round."""
    bot = await dispatching_bot(MemoryStore())
    await conversations(bot, 1_000_000, 50)  # caches and lazy imports settle first
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    await conversations(bot, 0, count)
    if profile:
        profile.disable()
    return count * len(SCRIPT), time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    messages, cpu, wall = asyncio.run(measure(args.conversations, profile))
    print(f"{messages} customer messages, {CONCURRENT} conversations at once, in memory")
    per_message = 1000 * cpu / messages
    print(f"core CPU per message: {per_message:.3f} ms (wall {1000 * wall / messages:.3f} ms)")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(SHOWN)


if __name__ == "__main__":
    main()
