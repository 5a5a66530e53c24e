"""Customer messages per second end to end: Bot.dispatch with the sample knowledge base,
departments and the real TinyDB store on disk."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.core import Bot
from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.models import Address, Incoming, Person
from bot.ports import Store
from bot.storage import open_store
from bot.wiring import build_bot, warm_up

SCRIPT = (
    "hello",
    "Anna",
    "how do I reset my password",
    "and how long does delivery take?",
    "my smart fridge from another shop is clicking",  # not covered: a ticket is opened
)
DATA = Path(__file__).parent.parent / "data"


async def measure(conversations: int, concurrent: int, root: Path) -> tuple[int, float]:
    store = await open_store(root / "db")
    try:
        return await handle(store, conversations, concurrent)
    finally:
        await store.close()


async def dispatching_bot(store: Store) -> Bot:
    """The bot with the sample knowledge base and departments, on `store`, warmed up as
    `supportbot run` does before it serves."""
    departments = load_departments(DATA)
    kb = await LiveKnowledgeBase.open(DATA / "kb", frozenset(departments))
    bot = build_bot(Settings(), store, SystemClock(), kb=kb, departments=departments)
    await asyncio.to_thread(warm_up)
    return bot


async def handle(
    store: Store, conversations: int, concurrent: int, first: int = 0
) -> tuple[int, float]:
    """Customers `first` ... `first + conversations - 1` each send SCRIPT, `concurrent` at a
    time, through Bot.dispatch on `store`: (messages, seconds)."""
    bot = await dispatching_bot(store)
    gate = asyncio.Semaphore(concurrent)

    async def customer(number: int) -> None:
        async with gate:
            person = Person("web", f"u{number}")
            address = Address("web", f"c{number}")
            for text in SCRIPT:
                await bot.dispatch(Incoming.message(person, address, text))

    started = time.perf_counter()
    await asyncio.gather(*(customer(n) for n in range(first, first + conversations)))
    return conversations * len(SCRIPT), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=400)
    parser.add_argument("--concurrent", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        messages, elapsed = asyncio.run(
            measure(args.conversations, args.concurrent, Path(directory))
        )
    print(f"customer messages handled end to end: {messages}")
    print(f"conversations: {args.conversations}, at most {args.concurrent} at once")
    print(f"elapsed: {elapsed:.2f} s  ->  {messages / elapsed:,.0f} messages/s")
    print(f"mean per message: {1000 * elapsed / messages:.2f} ms (every write fsynced)")


if __name__ == "__main__":
    main()
