"""`supportbot db migrate|status|copy`: the PostgreSQL schema, and moving a TinyDB store's
history into PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings

NEEDS_URL = "Set SUPPORTBOT_DATABASE_URL=postgresql://... (or pass --url) first."


def add_db_parser(commands: Any) -> None:
    db = commands.add_parser("db", help="PostgreSQL: migrate the schema, copy a TinyDB store in")
    actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    for name, text in (("migrate", "bring the schema up to date"), ("status", "schema version")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--url", help="database URL (default SUPPORTBOT_DATABASE_URL)")
    copy = actions.add_parser("copy", help="copy the TinyDB store into an empty PostgreSQL")
    copy.add_argument("--to", required=True, metavar="URL", help="postgresql://... (migrated)")
    copy.add_argument("--db-dir", type=Path, help="the TinyDB store (default var/db/)")


async def run_db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage import postgres_admin  # the driver loads only for these commands

    if args.db_action == "copy":
        return await postgres_admin.copy_store(settings.db_dir, args.to)
    url = args.url or settings.database_url
    if not url:
        print(NEEDS_URL, file=sys.stderr)
        return 2
    if args.db_action == "migrate":
        return await postgres_admin.migrate_url(url)
    return await postgres_admin.status(url)
