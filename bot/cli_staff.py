"""`supportbot staff add|list|remove`: manage who may use the staff page and commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.staff import StaffDirectory
from bot.storage import open_configured


def add_staff_parser(commands: Any) -> None:
    staff = commands.add_parser("staff", help="add, list or remove staff logins")
    staff.add_argument("--db-dir", type=Path, help="where the database lives (default var/db/)")
    actions = staff.add_subparsers(dest="staff_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a staff member (or give them a new token)")
    add.add_argument("id", help="short id, e.g. alice")
    add.add_argument("--name", default="", help='display name shown to customers, e.g. "Alice"')
    actions.add_parser("list", help="list staff members")
    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("id")


async def run_staff(settings: Settings, args: argparse.Namespace) -> int:
    store = await open_configured(settings.db_dir, settings.database_url)
    try:
        staff = StaffDirectory(store)
        if args.staff_action == "add":
            token = await staff.add(args.id, args.name or args.id)
            print(f"Staff member {args.id!r} saved. Their login token (shown only now): {token}")
        elif args.staff_action == "list":
            for member in await staff.all():
                print(f"{member.id}\t{member.name}")
        elif not await staff.remove(args.id):
            print(f"No staff member {args.id!r}.")
            return 1
        return 0
    finally:
        await store.close()
