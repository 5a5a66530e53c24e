"""`supportbot customer export|delete`: a customer's right to their data and to be forgotten."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import audit
from bot.audit_inbox import post
from bot.config import Settings
from bot.kb.gaps import LOOKUPS
from bot.models import Doc
from bot.ports import Store
from bot.privacy.customer import CustomerKeyError, parse_customer_key
from bot.privacy.erase import erase_customer, preview
from bot.privacy.export import export_customer, to_json
from bot.scheduler import JOBS
from bot.storage import StoreLockedError, open_configured
from bot.storage.readonly import ReadOnlyStore
from bot.tickets.desk import TICKETS
from bot.tickets.flags import CUSTOMER_FLAGS
from bot.transcript import CONVERSATIONS, MESSAGES

EXPORTED = (CONVERSATIONS, MESSAGES, TICKETS, LOOKUPS, CUSTOMER_FLAGS, JOBS)
KEY_HELP = "the customer as platform:user, e.g. web:u-42, slack:U0123ABCD, discord:81234"
DB_HELP = "where the database lives (default var/db/)"


def add_customer_parser(commands: Any) -> None:
    """`customer export|delete`."""
    customer = commands.add_parser("customer", help="export or delete a customer's data")
    actions = customer.add_subparsers(dest="customer_action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="everything stored about a customer, as JSON")
    export.add_argument("customer", help=KEY_HELP)
    export.add_argument("--out", type=Path, help="write to this file (default: standard output)")
    delete = actions.add_parser("delete", help="erase a customer's data (the bot must be stopped)")
    delete.add_argument("customer", help=KEY_HELP)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    for parser in (export, delete):
        parser.add_argument("--db-dir", type=Path, help=DB_HELP)


def cli_actor() -> audit.Actor:
    """The operator at the command line, by their OS user name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return audit.Actor(user, user, "cli")


async def run_customer(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 0 done, 1 unknown customer (or refused), 2 malformed key."""
    try:
        key = parse_customer_key(args.customer)
    except CustomerKeyError as error:
        return fail(str(error), 2)
    if not settings.database_url and not settings.db_dir.is_dir():
        return fail(f"No data is stored about {key}: there is no database at {settings.db_dir}.", 1)
    if args.customer_action == "export":
        return await _export(settings, key, args.out)
    return await _delete(settings, key, args.yes)


async def _export(settings: Settings, key: str, out: Path | None) -> int:
    """With the store to itself if it can; while the bot runs, from a read-only copy."""
    now, db_dir = datetime.now(UTC), settings.db_dir
    store = await _for_reading(settings)
    try:
        export = await export_customer(store, key, now)
        if export is None:
            return fail(f"No data is stored about {key} in {_place(settings)}.", 1)
        _write(to_json(export), out)
        counts = (
            f"{len(export['conversations'])} conversation(s), {len(export['tickets'])} ticket(s)"
        )
        await _file(store, db_dir, audit.entry(cli_actor(), "export", now, key, counts))
        if out is not None:
            print(f"Exported {key} ({counts}) to {out}.", file=sys.stderr)
        return 0
    finally:
        await store.close()


async def _for_reading(settings: Settings) -> Store:
    """PostgreSQL is shared with the running bots; TinyDB files are read as a copy while the
    bot holds them."""
    try:
        return await open_configured(settings.db_dir, settings.database_url)
    except StoreLockedError:
        return await ReadOnlyStore.open(settings.db_dir, EXPORTED)


async def _file(store: Store, db_dir: Path, entry: Doc) -> None:
    """Into the audit log, or (read-only) into the inbox the bot files from."""
    if isinstance(store, ReadOnlyStore):
        await asyncio.to_thread(post, db_dir, entry)
    else:
        await audit.record(store, entry)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


async def _delete(settings: Settings, key: str, yes: bool) -> int:
    try:
        store = await open_configured(settings.db_dir, settings.database_url)
    except StoreLockedError:
        return fail(locked_message(settings.db_dir, "Nothing was deleted"), 1)
    try:
        plan = await preview(store, key)
        if plan is None:
            return fail(f"No data is stored about {key} in {_place(settings)}.", 1)
        if not yes and not _confirm(key, plan.summary()):
            return fail("Nothing was deleted.", 1)
        return await _erase(store, key)
    finally:
        await store.close()


async def _erase(store: Store, key: str) -> int:
    now = datetime.now(UTC)
    done = await erase_customer(store, key, now)
    if done is None:  # another process (on a shared database) erased it meanwhile
        return fail(f"Nothing is stored about {key} any more.", 1)
    detail = f"{done.conversations} conversation(s), {done.tickets} ticket(s) anonymised"
    await audit.record(store, audit.entry(cli_actor(), "delete", now, done.pseudonym, detail))
    print(f"Deleted {key}: {done.summary()}. In the audit log it is now {done.pseudonym}.")
    return 0


def _confirm(key: str, summary: str) -> bool:
    print(f"This erases what is stored about {key}: {summary}.", file=sys.stderr)
    try:
        print(f"Type 'delete' to erase {key} for good: ", end="", file=sys.stderr, flush=True)
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() == "delete"


def _place(settings: Settings) -> str:
    return settings.database_place or str(settings.db_dir)


def locked_message(db_dir: Path, consequence: str) -> str:
    """What to tell an operator whose command needs the store while the bot holds it."""
    return (
        f"The bot is running: the database {db_dir} is in use. {consequence}. "
        "Stop the bot first, then run this command again."
    )


def fail(message: str, code: int) -> int:
    """Print `message` on stderr and return the exit code."""
    print(message, file=sys.stderr)
    return code
