"""`supportbot audit` (the log of staff actions) and `supportbot retention run`."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import audit
from bot.audit_inbox import waiting
from bot.cli_customer import DB_HELP, cli_actor, fail, locked_message
from bot.clock import SystemClock
from bot.config import Settings
from bot.core import Services
from bot.ports import Store
from bot.privacy.retention import run_retention
from bot.scheduler_jobs import stamp
from bot.storage import StoreLockedError, open_configured
from bot.storage.readonly import ReadOnlyStore

DEFAULT_LIMIT = 50


def add_audit_parsers(commands: Any) -> None:
    """`audit [--since DATE] [--limit N]` and `retention run [--days N]`."""
    log = commands.add_parser("audit", help="who claimed, transferred, resolved, exported, ...")
    log.add_argument("--since", type=_date, help="from this date or time (UTC), e.g. 2026-11-01")
    log.add_argument("--limit", type=_positive, default=DEFAULT_LIMIT, help="latest N (50)")
    retention = commands.add_parser("retention", help="anonymise old closed conversations")
    steps = retention.add_subparsers(dest="retention_action", required=True, metavar="ACTION")
    run = steps.add_parser("run", help="now, instead of waiting for the bot's daily run")
    run.add_argument("--days", type=_positive, help="period (default SUPPORTBOT_RETENTION_DAYS)")
    for parser in (log, run):
        parser.add_argument("--db-dir", type=Path, help=DB_HELP)


async def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    """Read-only, so it also works while the bot runs; includes entries not yet filed."""
    store = await _audit_store(settings)
    filed = await audit.latest(store, args.limit, args.since)
    await store.close()
    floor = stamp(args.since) if args.since else ""
    waiting_ones = [d for _, d in await asyncio.to_thread(waiting, settings.db_dir)]
    entries = sorted(filed + [d for d in waiting_ones if d["at"] >= floor], key=_order)
    for doc in entries[-args.limit :]:
        print(audit.line(doc))
    if not entries:
        print("No audit entries" + (f" since {args.since:%Y-%m-%d %H:%M} UTC." if floor else "."))
    return 0


async def _audit_store(settings: Settings) -> Store:
    """PostgreSQL is shared with the running bots; TinyDB files are read as a copy."""
    if settings.database_url:
        return await open_configured(settings.db_dir, settings.database_url)
    return await ReadOnlyStore.open(settings.db_dir, (audit.AUDIT,))


async def run_retention_now(settings: Settings, args: argparse.Namespace) -> int:
    """Anonymise now what is past the period; needs the store to itself."""
    days = settings.retention_days if args.days is None else args.days
    if days <= 0:
        print("Retention is off (SUPPORTBOT_RETENTION_DAYS=0): nothing was changed.")
        return 0
    try:
        store = await open_configured(settings.db_dir, settings.database_url)
    except StoreLockedError:
        return fail(locked_message(settings.db_dir, "The running bot does this every day"), 1)
    try:
        from bot.wiring import build_bot  # the whole bot, only for this command

        await _retention(build_bot(settings, store, SystemClock()).services, days)
        return 0
    finally:
        await store.close()


async def _retention(services: Services, days: int) -> None:
    done = await run_retention(services, days)
    detail = f"{days} days: {done.conversations} conversation(s) anonymised"
    entry = audit.entry(cli_actor(), "retention", services.clock.now(), "", detail)
    await audit.record(services.store, entry)
    print(f"Retention ({days} days): {done.summary()}.")


def _order(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["at"], doc["id"]


def _date(raw: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-01, not {raw!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _positive(raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, not {raw!r}")
    return int(raw)
