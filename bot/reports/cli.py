"""`supportbot report`: the figures for a period, as text, CSV or JSON."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.departments import Department, load_departments
from bot.kb.entries import Entry
from bot.kb.loader import load_kb
from bot.reports.build import Records, Report, Window, build_report
from bot.reports.render import to_csv, to_json
from bot.reports.sources import records_in
from bot.reports.stored import count_report
from bot.reports.text import to_text
from bot.reports.window import PeriodError, window_from
from bot.storage import open_configured, report_counter

FORMATS = {"text": to_text, "csv": to_csv, "json": to_json}
PROGRESS_FROM = 10_000  # tickets; smaller reports finish before a bar would help


def add_report_parser(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="service figures per department and language (G3, G4)"
    )
    report.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days ago)")
    report.add_argument("--until", help="last day, YYYY-MM-DD, included (default: now)")
    report.add_argument("--department", default="", help="only this department (its id)")
    report.add_argument("--format", choices=sorted(FORMATS), default="text")
    report.add_argument("--out", type=Path, help="write to this file instead of the screen")


async def run_report(settings: Settings, args: argparse.Namespace) -> int:
    departments = await asyncio.to_thread(load_departments, settings.data_dir)
    if args.department and args.department not in departments:
        known = ", ".join(departments) or "none configured"
        print(f"Unknown department {args.department!r}; known: {known}", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    try:
        window = window_from(args.since, args.until, now)
    except PeriodError as error:
        print(error, file=sys.stderr)
        return 2
    entries = (
        await asyncio.to_thread(load_kb, settings.knowledge_dir, frozenset(departments))
    ).entries
    if settings.database_url:
        report = await _counted(settings, departments, entries, window, args.department, now)
    else:
        records = await _records(settings, departments, entries, now)
        bar = _bar if len(records.tickets) >= PROGRESS_FROM else None
        report = await asyncio.to_thread(build_report, records, window, args.department, bar)
    text = FORMATS[args.format](report)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"Wrote {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0


def _bar(done: int, total: int) -> None:
    """A progress bar on stderr, so the report itself can be piped."""
    width = 30
    filled = width * done // max(total, 1)
    print(
        f"\rMeasuring tickets [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}",
        end="" if done < total else "\n",
        file=sys.stderr,
        flush=True,
    )


async def _counted(
    settings: Settings,
    departments: dict[str, Department],
    entries: tuple[Entry, ...],
    window: Window,
    department: str,
    now: datetime,
) -> Report:
    """Counted by PostgreSQL, over the ticket facts the bots store (brought up to date)."""
    store = await open_configured(settings.db_dir, settings.database_url)
    try:
        counter = report_counter(store)
        assert counter is not None, "a database URL opens a store that counts reports"
        return await count_report(store, counter, departments, entries, window, department, now)
    finally:
        await store.close()


async def _records(
    settings: Settings,
    departments: dict[str, Department],
    entries: tuple[Entry, ...],
    now: datetime,
) -> Records:
    """Read from the TinyDB files (the bot may be running)."""
    if not settings.db_dir.is_dir():
        print(f"No records yet in {settings.db_dir} (SUPPORTBOT_DB_DIR).", file=sys.stderr)
    return await records_in(settings.db_dir, departments, entries, now)
