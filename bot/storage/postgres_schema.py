"""The PostgreSQL schema's versions: numbered SQL files in `migrations/`, applied in order by
`supportbot db migrate`, each in its own transaction, and checked when the bot starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from psycopg import AsyncConnection, sql
from psycopg.errors import UndefinedTable

from bot.storage.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
LOCK_ID = 0x5B07  # an advisory lock: two processes never migrate at once


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations() -> list[Migration]:
    """The migrations shipped with this version of the bot, oldest first."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path))
    return found


def latest() -> int:
    return migrations()[-1].version


async def current_version(conn: AsyncConnection) -> int:
    """The schema version the database is at; 0 for an empty database."""
    try:
        async with conn.transaction():
            cursor = await conn.execute("SELECT max(version) FROM schema_migrations")
            row = await cursor.fetchone()
    except UndefinedTable:
        return 0
    return int(row[0]) if row and row[0] is not None else 0


async def migrate(conn: AsyncConnection) -> list[Migration]:
    """Apply the migrations the database does not have yet; the ones applied."""
    await conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        at = await current_version(conn)
        applied = []
        for migration in migrations():
            if migration.version > at:
                await _apply(conn, migration)
                applied.append(migration)
        return applied
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_ID,))


async def _apply(conn: AsyncConnection, migration: Migration) -> None:
    script = migration.path.read_text(encoding="utf-8")
    async with conn.transaction():
        await conn.execute(sql.SQL(script))  # our own file, several statements
        await conn.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
            (migration.version, migration.name),
        )


async def check_current(conn: AsyncConnection, where: str) -> None:
    """A StoreError that says what to do when the database is not at this bot's version."""
    at, needed = await current_version(conn), latest()
    if at < needed:
        raise StoreError(
            f"The database at {where} is at schema version {at}; this supportbot needs "
            f"{needed}. Run `supportbot db migrate` first."
        )
    if at > needed:
        raise StoreError(
            f"The database at {where} is at schema version {at}, newer than this supportbot "
            f"knows ({needed}). Upgrade supportbot."
        )
