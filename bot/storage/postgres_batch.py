"""Group commit for PostgresStore: writes issued while a transaction is under way wait for
the next one, which runs them all in the order they were issued and commits once. Each
caller returns when its own write is committed; a cancelled caller's write still runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from psycopg import AsyncConnection, OperationalError
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from bot.storage.errors import StoreError

Connection = AsyncConnection[TupleRow]
Write = Callable[[Connection], Awaitable[Any]]


class WriteBatches:
    """Writes queued in issue order, committed together."""

    def __init__(self, pool: AsyncConnectionPool[Connection], where: str) -> None:
        self._pool, self._where = pool, where
        self._pending: list[tuple[Write, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.closed = False

    async def run(self, write: Write) -> Any:
        if self.closed:
            raise StoreError("the store is closed")
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((write, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.ensure_future(self._flush())
        return await asyncio.shield(done)

    async def close(self) -> None:
        """Refuse new writes; wait for the ones already issued."""
        self.closed = True
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                results = await self._commit([write for write, _ in batch])
            except Exception as error:
                refused = failure(error, self._where)
                for _, done in batch:
                    if not done.done():
                        done.set_exception(refused)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)

    async def _commit(self, writes: list[Write]) -> list[Any]:
        async with self._pool.connection() as conn, conn.transaction():
            return [await write(conn) for write in writes]


def failure(error: Exception, where: str) -> Exception:
    """What the store raises for a database failure: a StoreError naming the server."""
    if isinstance(error, OperationalError):
        return StoreError(f"PostgreSQL at {where} failed: {error}")
    return error
