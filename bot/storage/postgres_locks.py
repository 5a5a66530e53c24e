"""Locks by key across processes: PostgreSQL session advisory locks, all held on one
connection per process. A process that dies releases its locks with its connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from bot.locks import KeyedLock

FIRST_WAIT, LONGEST_WAIT = 0.002, 0.05  # seconds between tries while another process holds it
TRY = "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))"
RELEASE = "SELECT pg_advisory_unlock(hashtextextended(%s, 0))"


class AdvisoryLocks:
    """`hold(key)`: first among this process's tasks (in memory), then among processes."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._local = KeyedLock()
        self._conn: AsyncConnection[TupleRow] | None = None
        self._use = asyncio.Lock()  # one statement at a time on the shared connection

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._local.hold(key):
            await self._acquire(key)
            try:
                yield
            finally:
                await asyncio.shield(self._run(RELEASE, key))

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def _acquire(self, key: str) -> None:
        wait = FIRST_WAIT
        while not await self._run(TRY, key):
            await asyncio.sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT)

    async def _run(self, query: str, key: str) -> bool:
        async with self._use:
            if self._conn is None or self._conn.closed:
                self._conn = await AsyncConnection.connect(self._url, autocommit=True)
            cursor = await self._conn.execute(query, (key,))
            row = await cursor.fetchone()
        return bool(row and row[0])
