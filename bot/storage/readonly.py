"""A read-only copy of some collections of a store directory, taken without its lock.

Safe while the bot runs: the journal is read first, then the segments (each replaced by an
atomic rename, so read either before or after a fold, never half-written), then the journal
is replayed over them; a journal line still being appended is not whole and is left out.
The copy as a whole is not one instant: a write landing while it is read may be half in it.
Nothing on disk is touched."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.gc_pause import paused_gc
from bot.models import Doc
from bot.storage.collection_dir import SEGMENT_NAME, SegmentedCollection
from bot.storage.errors import StoreCorruptError, StoreError
from bot.storage.journal import Replay
from bot.storage.memory import Change, MemoryStore
from bot.storage.segment import TABLE, decode
from bot.storage.tinydb_store import SEGMENT_SIZE
from bot.storage.validate import clone

Contents = dict[str, list[tuple[str, Doc]]]


class StoreReadOnlyError(StoreError):
    """A write was attempted on a read-only copy."""


class ReadOnlyStore(MemoryStore):
    """The Store port over a snapshot: reads work, every write raises StoreReadOnlyError."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    @classmethod
    async def open(
        cls, path: str | os.PathLike[str], collections: tuple[str, ...]
    ) -> ReadOnlyStore:
        """Read `collections` (missing ones are empty) from the store directory at `path`."""
        store = cls(Path(path))
        contents, replay = await asyncio.to_thread(_read, store.path, collections)
        for name, items in contents.items():
            store._apply(name, items)
        for commit in replay.commits:
            for name, key, doc in commit:
                if name in collections:
                    store._apply(name, [(key, doc)])
        return store

    async def items(self, collection: str) -> list[tuple[str, Doc]]:
        """Every (key, document) of a collection read, in insertion order (copies)."""
        found = self._collections.get(collection)
        return [(key, clone(doc)) for key, doc in found.docs.items()] if found else []

    async def _persist(self, collection: str, changes: list[Change]) -> None:
        raise StoreReadOnlyError(f"{self.path} is open read-only; {collection} was not changed")


def _read(root: Path, collections: tuple[str, ...]) -> tuple[Contents, Replay]:
    replay = Replay(root, live=True)
    contents: Contents = {}
    for name in collections:
        directory = root / name
        if not directory.is_dir():
            continue
        try:
            contents[name] = SegmentedCollection(directory, SEGMENT_SIZE).load()
        except OSError as error:
            raise StoreCorruptError(directory, str(error)) from error
    return contents, replay


async def read_collections(
    path: str | os.PathLike[str], names: tuple[str, ...]
) -> dict[str, list[Doc]]:
    """Just the documents of each named collection ([] for one, or a store, not there yet),
    in stored order; for reports over 100k tickets, so only the file format is checked."""
    return await asyncio.to_thread(_documents, Path(path), names)


def _documents(root: Path, names: tuple[str, ...]) -> dict[str, list[Doc]]:
    with paused_gc():
        replay = Replay(root, live=True)
        found = {name: _documents_of(root / name) for name in names}
        for commit in replay.commits:
            for name, key, doc in commit:
                if name not in found:
                    continue
                if doc is None:
                    found[name].pop(key, None)
                else:
                    found[name][key] = doc
        return {name: list(docs.values()) for name, docs in found.items()}


def _documents_of(directory: Path) -> dict[str, Doc]:
    if not directory.is_dir():
        return {}
    found = (SEGMENT_NAME.match(p.name) for p in directory.iterdir())
    docs: dict[str, Doc] = {}
    for number in sorted(int(m.group(1)) for m in found if m):
        path = directory / f"{number:06d}.json"
        try:
            table = decode(path.read_bytes())[TABLE]
            for doc_id in sorted(table, key=int):
                record = table[doc_id]
                docs[record["key"]] = record["doc"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StoreCorruptError(path, f"{type(error).__name__}: {error}") from error
    return docs
