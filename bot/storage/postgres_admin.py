"""What `supportbot db` does: migrate the schema, say its version, and copy a TinyDB store
into an empty PostgreSQL database, verifying the counts."""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from psycopg import AsyncConnection

from bot.config import database_place
from bot.storage.collection_dir import SEGMENT_NAME
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_schema import current_version, latest, migrate
from bot.storage.readonly import ReadOnlyStore

COPY_BATCH = 500


@asynccontextmanager
async def scratch_database(server: str, migrated: bool = True) -> AsyncIterator[str]:
    """The URL of a new, empty database on `server` (with the schema when `migrated`),
    dropped afterwards: for tests and benchmarks."""
    name = f"supportbot_scratch_{secrets.token_hex(6)}"
    async with await AsyncConnection.connect(server, autocommit=True) as admin:
        await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(server)._replace(path=f"/{name}").geturl()
    try:
        if migrated:
            async with await AsyncConnection.connect(url, autocommit=True) as conn:
                await migrate(conn)
        yield url
    finally:
        async with await AsyncConnection.connect(server, autocommit=True) as admin:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def migrate_url(url: str) -> int:
    async with await AsyncConnection.connect(url, autocommit=True) as conn:
        applied = await migrate(conn)
        version = await current_version(conn)
    for migration in applied:
        print(f"applied {migration.version:04d} {migration.name}")
    print(
        f"{database_place(url)} is at schema version {version}"
        + ("" if applied else " (no change)")
    )
    return 0


async def status(url: str) -> int:
    async with await AsyncConnection.connect(url, autocommit=True) as conn:
        version = await current_version(conn)
    behind = " (run `supportbot db migrate`)" if version < latest() else ""
    print(
        f"{database_place(url)}: schema version {version}; this supportbot needs {latest()}{behind}"
    )
    return 0 if version == latest() else 1


async def copy_store(db_dir: Path, url: str) -> int:
    """Every collection and counter of the TinyDB store at `db_dir` into PostgreSQL at `url`,
    which must be migrated and empty; the counts are compared afterwards."""
    collections = _collections(db_dir)
    if not collections:
        print(f"No TinyDB store at {db_dir}: nothing to copy.", file=sys.stderr)
        return 1
    source = await ReadOnlyStore.open(db_dir, (*collections, "_counters"))
    target = await PostgresStore.open(url)
    try:
        if not await target.is_empty():
            print(f"{target.where} already holds data; copy only into an empty database.")
            return 1
        copied = {name: await _copy(source, target, name) for name in collections}
        await _copy_counters(source, target)
        return _verified(copied, {name: await target.count(name) for name in collections})
    finally:
        await target.close()
        await source.close()


def _collections(db_dir: Path) -> list[str]:
    if not db_dir.is_dir():
        return []
    return sorted(
        path.name
        for path in db_dir.iterdir()
        if path.is_dir()
        and not path.name.startswith("_")
        and any(SEGMENT_NAME.match(p.name) for p in path.iterdir())
    )


async def _copy(source: ReadOnlyStore, target: PostgresStore, collection: str) -> int:
    docs = await source.items(collection)
    for start in range(0, len(docs), COPY_BATCH):
        await target.put_many(collection, docs[start : start + COPY_BATCH])
    return len(docs)


async def _copy_counters(source: ReadOnlyStore, target: PostgresStore) -> None:
    for name, doc in await source.items("_counters"):
        await target.set_counter(name, int(doc["value"]))


def _verified(copied: dict[str, int], stored: dict[str, int]) -> int:
    for name in copied:
        print(f"{name}: {copied[name]} copied, {stored[name]} stored")
    if copied != stored:
        print("The counts differ: the copy is incomplete.", file=sys.stderr)
        return 1
    print(f"Copied {sum(copied.values())} records. Set SUPPORTBOT_DATABASE_URL to use them.")
    return 0
