"""Reports on a generated history of 100,000 tickets: how long each step takes.

python -m benchmarks.report_bench [--tickets N]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.history import generate_history
from bot.departments import load_departments
from bot.kb.loader import load_kb
from bot.reports.build import Window, build_report
from bot.reports.render import to_csv, to_json
from bot.reports.sources import records_in
from bot.reports.text import to_text
from bot.storage import open_store


async def bench(tickets: int) -> None:
    departments = load_departments(Path("data"))
    entries = load_kb(Path("data/kb"), frozenset(departments)).entries
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        store = await open_store(Path(directory))
        await generate_history(store, tickets)
        await store.close()
        print(f"generated {tickets:,} tickets in {time.perf_counter() - started:.1f} s")
        now = datetime(2026, 11, 1, tzinfo=UTC)
        started = time.perf_counter()
        records = await records_in(Path(directory), departments, entries, now)
        read = time.perf_counter() - started
        report = build_report(records, Window(datetime(2026, 1, 1, tzinfo=UTC), now))
        built = time.perf_counter() - started - read
        for name, render in (("text", to_text), ("csv", to_csv), ("json", to_json)):
            began = time.perf_counter()
            render(report)
            print(f"render {name}: {(time.perf_counter() - began) * 1000:.0f} ms")
        counts = f"{len(records.tickets):,} tickets + {len(records.lookups):,} lookups"
        print(f"read {counts}: {read:.2f} s")
        print(f"build report: {built:.2f} s; total {read + built:.2f} s")
        total = report.total
        print(f"opened: {total.tickets_opened:,} tickets, {total.requests_opened:,} requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    asyncio.run(bench(parser.parse_args().tickets))


if __name__ == "__main__":
    main()
