"""A unit of work over the Store port: what one conversation's turn writes, committed at once.

`WorkingStore` wraps the configured store. Inside `unit_of_work()` (a conversation's lock is
held for it: `Conversations.locked`) puts are kept in memory and read back, then written in
one `put_together` when the unit ends: one journal line on TinyDB, one transaction on
PostgreSQL, so a crash leaves all of a turn or none of it. Notes to the other processes sent
meanwhile go out once the documents are written. Anything that needs the kept documents
stored first writes them first: a read of a collection that has some, a delete, a nested
unit (another conversation's lock). A unit that ends
with an error still writes what it kept: a customer's recorded message is never dropped.
Outside a unit every call goes straight to the store, as before.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from bot.models import Doc
from bot.ports import Broadcast, Locks, Note, Span, Store, TokenBuckets, Where
from bot.storage.validate import clean_doc, clone

Key = tuple[str, str]  # (collection, key)
log = logging.getLogger(__name__)


class _Work:
    """The documents one unit has put, in order, until it writes them."""

    def __init__(self) -> None:
        self.kept: dict[Key, Doc] = {}
        self.notes: list[tuple[Broadcast, Note]] = []  # sent once what they announce is written
        self.open = True

    def collections(self) -> set[str]:
        return {collection for collection, _ in self.kept}


class WorkingStore:
    """The Store port with units of work; everything else is the wrapped store's."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self._current: ContextVar[_Work | None] = ContextVar("unit_of_work", default=None)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """Keep the puts made in this context, and write them together when it ends."""
        await self.flush()  # an outer unit's documents are written before this one starts
        work = _Work()
        token = self._current.set(work)
        try:
            yield
        finally:
            self._current.reset(token)
            work.open = False
            await self._write(work)

    async def flush(self) -> None:
        """Write what the current unit has kept so far."""
        work = self._work()
        if work is not None:
            await self._write(work)

    async def get(self, collection: str, key: str) -> Doc | None:
        work = self._work()
        if work is not None and (collection, key) in work.kept:
            kept: Doc = clone(work.kept[(collection, key)])
            return kept
        return await self.inner.get(collection, key)

    async def put(self, collection: str, key: str, doc: Doc) -> None:
        await self.put_together([(collection, key, doc)])

    async def put_many(self, collection: str, items: Iterable[tuple[str, Doc]]) -> None:
        await self.put_together((collection, key, doc) for key, doc in items)

    async def put_together(self, items: Iterable[tuple[str, str, Doc]]) -> None:
        work = self._work()
        if work is None:
            await self.inner.put_together(items)
            return
        for collection, key, doc in items:  # checked now, as the store would, and copied
            work.kept.pop((collection, key), None)  # a later put goes after the others
            work.kept[(collection, key)] = clean_doc(collection, key, doc)

    async def delete(self, collection: str, key: str) -> bool:
        await self.flush()
        return await self.inner.delete(collection, key)

    async def find(
        self,
        collection: str,
        where: Where | None = None,
        *,
        span: Span | None = None,
        **equals: Any,
    ) -> list[Doc]:
        await self._flush_for(collection)
        return await self.inner.find(collection, where, span=span, **equals)

    async def count(self, collection: str, **equals: Any) -> int:
        await self._flush_for(collection)
        return await self.inner.count(collection, **equals)

    async def next_number(self, counter: str, start: int = 1) -> int:
        return await self.inner.next_number(counter, start)

    async def claim(self, name: str) -> bool:
        return await self.inner.claim(name)

    def locks(self) -> Locks:
        return self.inner.locks()

    def broadcast(self) -> Broadcast | None:
        found = self.inner.broadcast()
        return None if found is None else _DeferredBroadcast(found, self._work)

    def token_buckets(self) -> TokenBuckets | None:
        return self.inner.token_buckets()

    async def close(self) -> None:
        await self.inner.close()

    def _work(self) -> _Work | None:
        work = self._current.get()
        return work if work is not None and work.open else None

    async def _flush_for(self, collection: str) -> None:
        work = self._work()
        if work is not None and collection in work.collections():
            await self._write(work)

    async def _write(self, work: _Work) -> None:
        items = [(collection, key, doc) for (collection, key), doc in work.kept.items()]
        notes, work.kept, work.notes = work.notes, {}, []
        if items:
            await self.inner.put_together(items)
        for broadcast, note in notes:
            try:
                await broadcast.send(note)
            except Exception:  # best effort, like every note: the documents are written
                log.exception("a note to the other processes was not sent")


class _DeferredBroadcast:
    """Notes sent in a unit wait for its documents: a note never announces a document that
    is not written yet, and sending one does not cut the unit in two."""

    def __init__(self, inner: Broadcast, current: Callable[[], _Work | None]) -> None:
        self.inner, self._current = inner, current

    async def send(self, note: Note) -> None:
        work = self._current()
        if work is None:
            await self.inner.send(note)
        else:
            work.notes.append((self.inner, note))

    def listen(self, listener: Callable[[Note], Awaitable[None]]) -> None:
        self.inner.listen(listener)


def unit_of_work(store: Store) -> AbstractAsyncContextManager[None]:
    """The store's unit of work, where it has them (else each write stands alone)."""
    return store.unit_of_work() if isinstance(store, WorkingStore) else nullcontext()


def unwrapped(store: Store) -> Store:
    """The store a WorkingStore wraps (or the store itself)."""
    return store.inner if isinstance(store, WorkingStore) else store
