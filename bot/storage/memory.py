"""MemoryStore: the in-memory document engine that TinyDBStore makes durable."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from bot.locks import KeyedLock
from bot.models import Doc
from bot.ports import Span, Where
from bot.storage.collection import MemoryCollection
from bot.storage.errors import StoreError
from bot.storage.validate import check_collection, check_key, clean_doc, clone

T = TypeVar("T")
Change = tuple[str, Doc | None]  # (key, new document), None meaning delete
Pending = tuple[str, list[Change], "asyncio.Future[None]"]
CLAIM_SECONDS = 24 * 3600.0
CLAIMS_KEPT = 100_000  # past this, claims older than a day are dropped
COUNTERS = "_counters"  # not a valid user collection name, so it can never clash with one

log = logging.getLogger(__name__)


class MemoryStore:
    """A Store kept in memory: copies in and out, indexed equality lookups, one write lock.

    Writes are serialised; a write whose caller is cancelled still runs to the end, so
    memory and (in TinyDBStore) disk never disagree about it. Puts that arrive while a write
    is under way are committed together (group commit): each segment is written and fsynced
    once for all of them, and each caller returns once its own change is durable.
    """

    def __init__(self) -> None:
        self._collections: dict[str, MemoryCollection] = {}
        self._lock = asyncio.Lock()
        self._running: set[asyncio.Task[Any]] = set()
        self._closed = False
        self._open_batch: list[Pending] | None = None
        self._keyed = KeyedLock()  # only this process uses the store: its locks are enough
        self._claims: dict[str, float] = {}  # name -> when (monotonic seconds)

    async def get(self, collection: str, key: str) -> Doc | None:
        found = self._collections.get(check_collection(collection))
        doc = found.docs.get(check_key(collection, key)) if found else None
        return None if doc is None else clone(doc)

    async def find(
        self,
        collection: str,
        where: Where | None = None,
        *,
        span: Span | None = None,
        **equals: Any,
    ) -> list[Doc]:
        """Copies of the matching documents; `where` sees stored ones and must not change them."""
        found = self._collections.get(check_collection(collection))
        return [clone(doc) for doc in found.find(equals, where, span)] if found else []

    async def count(self, collection: str, **equals: Any) -> int:
        found = self._collections.get(check_collection(collection))
        return found.count(equals) if found else 0

    async def put(self, collection: str, key: str, doc: Doc) -> None:
        clean = clean_doc(check_collection(collection), check_key(collection, key), doc)
        await self._join_batch(collection, [(key, clean)])

    async def put_many(self, collection: str, items: Iterable[tuple[str, Doc]]) -> None:
        check_collection(collection)
        # A dict keeps a repeated key at its first position with its last value.
        batch = {check_key(collection, k): clean_doc(collection, k, d) for k, d in items}
        if batch:
            await self._join_batch(collection, list(batch.items()))

    async def put_together(self, items: Iterable[tuple[str, str, Doc]]) -> None:
        """One batch for all of them: TinyDBStore writes a batch as one journal line."""
        grouped: dict[str, dict[str, Doc | None]] = {}
        for collection, key, doc in items:
            clean = clean_doc(check_collection(collection), check_key(collection, key), doc)
            grouped.setdefault(collection, {})[key] = clean
        if grouped:
            await self._join_batch_all([(c, list(docs.items())) for c, docs in grouped.items()])

    async def delete(self, collection: str, key: str) -> bool:
        check_key(check_collection(collection), key)
        self._ordered_write()

        async def delete() -> bool:
            found = self._collections.get(collection)
            if found is None or key not in found.docs:
                return False
            await self._persist(collection, [(key, None)])
            return True

        return await self._write(delete)

    async def next_number(self, counter: str, start: int = 1) -> int:
        check_key("counters", counter)
        if type(start) is not int:
            raise TypeError(f"start of counter {counter!r} must be an int")
        self._ordered_write()

        async def increment() -> int:
            counters = self._collections.get(COUNTERS)
            current = counters.docs.get(counter) if counters else None
            value: int = start if current is None else current["value"] + 1
            await self._persist(COUNTERS, [(counter, {"value": value})])
            return value

        return await self._write(increment)

    async def claim(self, name: str) -> bool:
        """Claims of this process only (its files are locked to it), forgotten after a day."""
        check_key("claims", name)
        now = time.monotonic()
        if len(self._claims) >= CLAIMS_KEPT:
            self._claims = {n: at for n, at in self._claims.items() if now - at < CLAIM_SECONDS}
        at = self._claims.get(name)
        if at is not None and now - at < CLAIM_SECONDS:
            return False
        self._claims[name] = now
        return True

    def locks(self) -> KeyedLock:
        return self._keyed

    def broadcast(self) -> None:
        return None  # its files are locked to one process: nobody else to tell

    def token_buckets(self) -> None:
        return None  # one process: its own memory holds the limits

    async def close(self) -> None:
        async with self._lock:  # waits for writes already under way
            self._closed = True

    async def _join_batch(self, collection: str, changes: list[Change]) -> None:
        await self._join_batch_all([(collection, changes)])

    async def _join_batch_all(self, parts: list[tuple[str, list[Change]]]) -> None:
        """Add puts to the open batch (starting one if none is open) and wait until durable;
        the parts share one waiter, so the caller returns when all of them are."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._open_batch is None:
            batch: list[Pending] = []
            self._open_batch = batch
            flush = self._start(lambda: self._commit(batch))
            flush.add_done_callback(lambda task: _fail_unsettled(task, batch))
        self._open_batch.extend((collection, changes, done) for collection, changes in parts)
        await asyncio.shield(done)

    def _ordered_write(self) -> None:
        """Deletes and counters run after the open batch; later puts join a new one."""
        self._open_batch = None

    async def _commit(self, batch: list[Pending]) -> None:
        """Persist one batch, collection by collection; a failure fails only its collection."""
        if self._open_batch is batch:
            self._open_batch = None  # later puts start the next batch
        for collection, changes, waiters in by_collection(batch):
            try:
                await self._persist(collection, changes)
            except Exception as error:
                settle(waiters, error)
            else:
                settle(waiters, None)

    async def _write(self, action: Callable[[], Awaitable[T]]) -> T:
        return await asyncio.shield(self._start(action))

    def _start(self, action: Callable[[], Awaitable[T]]) -> asyncio.Task[T]:
        # The write runs in its own task, queued for the (FIFO) lock right now, so writes run
        # in the order they were issued; a cancelled caller cannot abandon a write between
        # disk and memory.
        task = asyncio.ensure_future(self._locked(action))
        self._running.add(task)
        task.add_done_callback(self._finished)
        return task

    async def _locked(self, action: Callable[[], Awaitable[T]]) -> T:
        async with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            return await action()

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("store write failed", exc_info=task.exception())

    async def _persist(self, collection: str, changes: list[Change]) -> None:
        """Make `changes` durable, then apply them; the hook TinyDBStore overrides."""
        self._apply(collection, changes)

    def _apply(self, collection: str, changes: Iterable[Change]) -> None:
        target = self._collections.get(collection)
        if target is None:
            target = self._collections[collection] = MemoryCollection()
        for key, doc in changes:
            if doc is None:
                target.delete(key)
            else:
                target.put(key, doc)


def by_collection(
    batch: list[Pending],
) -> list[tuple[str, list[Change], list[asyncio.Future[None]]]]:
    """Merge a batch per collection; a key written twice keeps its first place, last value."""
    merged: dict[str, tuple[dict[str, Doc | None], list[asyncio.Future[None]]]] = {}
    for collection, changes, waiter in batch:
        docs, waiters = merged.setdefault(collection, ({}, []))
        docs.update(changes)
        waiters.append(waiter)
    return [(name, list(docs.items()), waiters) for name, (docs, waiters) in merged.items()]


def settle(waiters: list[asyncio.Future[None]], error: Exception | None) -> None:
    for waiter in waiters:
        if waiter.done():
            continue
        if error is None:
            waiter.set_result(None)
        else:
            waiter.set_exception(error)


def _fail_unsettled(flush: asyncio.Task[None], batch: list[Pending]) -> None:
    """If the flush itself failed (e.g. the store was closed), its callers get the error."""
    error = StoreError("the write was cancelled") if flush.cancelled() else flush.exception()
    if error is not None:
        settle(
            [waiter for _, _, waiter in batch],
            error if isinstance(error, Exception) else StoreError(str(error)),
        )
