"""A read-only copy of some collections of a store directory, taken without its lock.

Safe while the bot runs: every segment file is replaced by an atomic rename, so each file is
read either before or after a write, never half-written (the copy as a whole is not one
instant: a write landing while it is read may be half in it). Nothing on disk is touched."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.models import Doc
from bot.storage.collection_dir import SegmentedCollection
from bot.storage.errors import StoreCorruptError, StoreError
from bot.storage.memory import Change, MemoryStore
from bot.storage.tinydb_store import SEGMENT_SIZE

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
        contents = await asyncio.to_thread(_read, store.path, collections)
        for name, items in contents.items():
            store._apply(name, items)
        return store

    async def _persist(self, collection: str, changes: list[Change]) -> None:
        raise StoreReadOnlyError(f"{self.path} is open read-only; {collection} was not changed")


def _read(root: Path, collections: tuple[str, ...]) -> Contents:
    contents: Contents = {}
    for name in collections:
        directory = root / name
        if not directory.is_dir():
            continue
        try:
            contents[name] = SegmentedCollection(directory, SEGMENT_SIZE).load()
        except OSError as error:
            raise StoreCorruptError(directory, str(error)) from error
    return contents


async def read_collections(
    path: str | os.PathLike[str], names: tuple[str, ...]
) -> dict[str, list[Doc]]:
    """Just the documents of each named collection ([] for one, or a store, not there yet)."""
    contents = await asyncio.to_thread(_read, Path(path), names)
    return {name: [doc for _, doc in contents.get(name, [])] for name in names}
