"""PostgresStore: the Store on PostgreSQL (psycopg 3 with its async pool), for teams that run
several bot processes on one database. Every write is one committed transaction."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from psycopg import AsyncConnection, OperationalError
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from bot.config import database_place
from bot.gc_pause import paused_gc
from bot.models import Doc
from bot.ports import Span, Where
from bot.storage.collection import has_fields
from bot.storage.errors import StoreError
from bot.storage.postgres_batch import Connection, WriteBatches, failure
from bot.storage.postgres_locks import AdvisoryLocks
from bot.storage.postgres_notify import PgBroadcast
from bot.storage.postgres_report import PostgresReportCounter
from bot.storage.postgres_schema import check_current
from bot.storage.postgres_span import span_clause
from bot.storage.segment import decode
from bot.storage.validate import check_collection, check_key, clean_doc

POOL_SIZE = 10
FORGET_CLAIMS_EVERY = 0.001
CLAIM = """
    INSERT INTO claims (name) VALUES (%s)
    ON CONFLICT (name) DO UPDATE SET at = now() WHERE claims.at < now() - interval '1 day'
    RETURNING 1"""
CONNECT_SECONDS = 10.0
log = logging.getLogger(__name__)

UPSERT = (
    "INSERT INTO documents (collection, key, body, fields) VALUES (%s, %s, %s, %s::jsonb) "
    "ON CONFLICT (collection, key) DO UPDATE SET body = EXCLUDED.body, fields = EXCLUDED.fields"
)
NEXT = (
    "INSERT INTO counters (name, value) VALUES (%s, %s) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
)


class PostgresStore:
    """Documents in one table, keyed by (collection, key), in insertion order; equality
    lookups go through a GIN index on each document's top-level scalar fields, then are
    checked exactly in Python, as are `where` predicates."""

    def __init__(
        self, pool: AsyncConnectionPool[AsyncConnection[TupleRow]], where: str, url: str
    ) -> None:
        self._pool, self.where = pool, where
        self._locks = AdvisoryLocks(url)
        self._broadcast = PgBroadcast(url)
        self._writes = WriteBatches(pool, where)  # group commit, in the order issued

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        """Connect (a StoreError that names the server if that fails) and check the schema."""
        where = database_place(url)
        pool: AsyncConnectionPool[AsyncConnection[TupleRow]] = AsyncConnectionPool(
            url, min_size=1, max_size=POOL_SIZE, open=False, kwargs={"autocommit": True}
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_SECONDS)
            async with pool.connection() as conn:
                await check_current(conn, where)
        except StoreError:
            await pool.close()
            raise
        except Exception as error:
            await pool.close()
            raise StoreError(f"Cannot use the PostgreSQL database at {where}: {error}") from None
        return cls(pool, where, url)

    async def get(self, collection: str, key: str) -> Doc | None:
        query = "SELECT body FROM documents WHERE collection = %s AND key = %s"
        rows = await self._rows(query, (check_collection(collection), check_key(collection, key)))
        return _loaded(rows[0][0]) if rows else None

    async def find(
        self,
        collection: str,
        where: Where | None = None,
        *,
        span: Span | None = None,
        **equals: Any,
    ) -> list[Doc]:
        rows = await self._candidates(collection, equals, "body", span)
        with paused_gc():  # 100k documents: the collector would walk them again and again
            docs = [_loaded(row[0]) for row in rows]
            return [
                d for d in docs if has_fields(d, equals.items()) and (where is None or where(d))
            ]

    async def count(self, collection: str, **equals: Any) -> int:
        if all(_indexable(value) for value in equals.values()):
            rows = await self._candidates(collection, equals, "count(*)")
            return int(rows[0][0])
        return len(await self.find(collection, **equals))

    async def put(self, collection: str, key: str, doc: Doc) -> None:
        clean = clean_doc(check_collection(collection), check_key(collection, key), doc)
        await self._writes.run(lambda conn: _upsert(conn, collection, [(key, clean)]))

    async def put_many(self, collection: str, items: Iterable[tuple[str, Doc]]) -> None:
        check_collection(collection)
        # A dict keeps a repeated key at its first position with its last value.
        batch = {check_key(collection, k): clean_doc(collection, k, d) for k, d in items}
        if batch:
            changes = list(batch.items())
            await self._writes.run(lambda conn: _upsert(conn, collection, changes))

    async def put_together(self, items: Iterable[tuple[str, str, Doc]]) -> None:
        grouped: dict[str, dict[str, Doc]] = {}
        for collection, key, doc in items:
            clean = clean_doc(check_collection(collection), check_key(collection, key), doc)
            grouped.setdefault(collection, {})[key] = clean
        if not grouped:
            return

        async def upsert_all(conn: Connection) -> None:  # one transaction: all or nothing
            rows = [
                _row(collection, key, doc)
                for collection, docs in grouped.items()
                for key, doc in docs.items()
            ]
            async with conn.cursor() as cursor:
                await cursor.executemany(UPSERT, rows)

        await self._writes.run(upsert_all)

    async def delete(self, collection: str, key: str) -> bool:
        check_key(check_collection(collection), key)

        async def delete(conn: Connection) -> bool:
            cursor = await conn.execute(
                "DELETE FROM documents WHERE collection = %s AND key = %s", (collection, key)
            )
            return cursor.rowcount > 0

        deleted: bool = await self._writes.run(delete)
        return deleted

    async def next_number(self, counter: str, start: int = 1) -> int:
        check_key("counters", counter)
        if type(start) is not int:
            raise TypeError(f"start of counter {counter!r} must be an int")

        async def increment(conn: Connection) -> int:
            cursor = await conn.execute(NEXT, (counter, start))
            row = await cursor.fetchone()
            assert row is not None
            return int(row[0])

        number: int = await self._writes.run(increment)
        return number

    async def claim(self, name: str) -> bool:
        check_key("claims", name)

        async def insert(conn: Connection) -> bool:
            if random.random() < FORGET_CLAIMS_EVERY:  # about once a thousand claims
                await conn.execute("DELETE FROM claims WHERE at < now() - interval '1 day'")
            cursor = await conn.execute(CLAIM, (name,))
            return await cursor.fetchone() is not None

        first: bool = await self._writes.run(insert)
        return first

    async def is_empty(self) -> bool:
        """No documents and no counters: safe to copy another store into."""
        rows = await self._rows(
            "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM counters)", ()
        )
        return int(rows[0][0]) == 0

    async def set_counter(self, counter: str, value: int) -> None:
        """Set a counter (when copying a store in): the next number is `value` + 1."""
        query = (
            "INSERT INTO counters (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"
        )

        async def put(conn: Connection) -> None:
            await conn.execute(query, (check_key("counters", counter), value))

        await self._writes.run(put)

    def locks(self) -> AdvisoryLocks:
        return self._locks

    def broadcast(self) -> PgBroadcast:
        return self._broadcast

    def token_buckets(self) -> PostgresStore:
        return self

    def report_counter(self) -> PostgresReportCounter:
        """Reports counted in SQL, on this store's connections."""
        return PostgresReportCounter(self._rows)

    async def take(self, bucket: str, burst: int, per_minute: float, taking: bool) -> float:
        """A flood-limit token (the `take_token` function, atomic across processes)."""
        query = "SELECT take_token(%s, %s, %s, %s)"
        rows = await self._rows(query, (bucket[:200], float(burst), per_minute, taking))
        return float(rows[0][0])

    async def close(self) -> None:
        await self._writes.close()
        await self._broadcast.close()
        await self._locks.close()
        await self._pool.close()

    async def _candidates(
        self, collection: str, equals: dict[str, Any], what: str, span: Span | None = None
    ) -> list[Any]:
        probe = {field: value for field, value in equals.items() if _indexable(value)}
        query = f"SELECT {what} FROM documents WHERE collection = %s"
        params: list[Any] = [check_collection(collection)]
        if probe:
            query += " AND fields @> %s::jsonb"
            params.append(json.dumps(probe))
        if span is not None:
            clause, bounds = span_clause(span)
            query += clause
            params.extend(bounds)
        if what == "body":
            query += " ORDER BY position"
        return await self._rows(query, tuple(params))

    async def _rows(self, query: str, params: Sequence[Any] | Mapping[str, Any]) -> list[Any]:
        if self._writes.closed:
            raise StoreError("the store is closed")
        try:
            async with self._pool.connection() as conn:
                cursor = await conn.execute(query, params)
                return await cursor.fetchall()
        except OperationalError as error:
            raise failure(error, self.where) from error


async def _upsert(conn: Connection, collection: str, changes: list[tuple[str, Doc]]) -> None:
    rows = [_row(collection, key, doc) for key, doc in changes]
    async with conn.cursor() as cursor:
        await cursor.executemany(UPSERT, rows)


def _row(collection: str, key: str, doc: Doc) -> tuple[str, str, str, str]:
    return collection, key, _dumped(doc), json.dumps(_fields(doc))


def _dumped(doc: Doc) -> str:
    """The document as JSON text; escaped to ASCII only when it holds a lone surrogate, which
    UTF-8 (and so PostgreSQL's text) cannot carry."""
    text = json.dumps(doc, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(doc)
    return text


def _loaded(body: str) -> Doc:
    doc: Doc = decode(body)  # orjson, several times faster on reports over 100k tickets
    return doc


def _fields(doc: Doc) -> Doc:
    """The top-level fields an equality lookup can find through the index."""
    return {field: value for field, value in doc.items() if _indexable(value)}


def _indexable(value: Any) -> bool:
    """A scalar jsonb can hold exactly (not NUL or a lone surrogate in a string)."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return value is None or isinstance(value, int | float)  # bool is an int
