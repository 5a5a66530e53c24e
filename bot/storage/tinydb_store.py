"""TinyDBStore: MemoryStore's engine made durable in bounded TinyDB segment files."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.gc_pause import paused_gc
from bot.storage.collection_dir import Batch, SegmentedCollection
from bot.storage.disk import Disk
from bot.storage.errors import StoreError
from bot.storage.memory import Change, MemoryStore

SEGMENT_SIZE = 256


class TinyDBStore(MemoryStore):
    """The default Store: reads from memory, every write durable on disk before it returns.

    Layout: `<root>/<collection>/000001.json`, ... each a TinyDB database of at most
    `segment_size` records `{"key": key, "doc": doc}`. Open with `await TinyDBStore.open()`.
    """

    def __init__(self, disk: Disk) -> None:
        super().__init__()
        self._disk = disk
        self._broken: str | None = None

    @classmethod
    async def open(
        cls, path: str | os.PathLike[str], segment_size: int = SEGMENT_SIZE
    ) -> TinyDBStore:
        """Lock and load the store at `path`, creating it if needed; see StoreError subclasses."""
        if segment_size < 1:
            raise ValueError("segment_size must be at least 1")
        disk, contents = await asyncio.to_thread(Disk.open, Path(path), segment_size)
        store = cls(disk)
        with paused_gc():  # indexing creates many small objects, none of them garbage
            for collection, items in contents.items():
                store._apply(collection, items)
        return store

    @property
    def path(self) -> Path:
        return self._disk.root

    async def close(self) -> None:
        await super().close()
        await asyncio.to_thread(self._disk.close)

    async def _persist(self, collection: str, changes: list[Change]) -> None:
        if self._broken:
            raise StoreError(f"store {self.path} is unusable after a failed write: {self._broken}")
        files = self._disk.collection(collection)
        for batch in files.plan(changes):
            try:
                await asyncio.to_thread(files.commit, batch)
            except Exception as error:
                await self._recover(collection, files, batch, error)
                raise
            self._apply(collection, batch[1])  # only now: memory never runs ahead of disk

    async def _recover(
        self, collection: str, files: SegmentedCollection, batch: Batch, error: Exception
    ) -> None:
        # The write may have failed before or after the rename; the disk knows which.
        try:
            on_disk = await asyncio.to_thread(files.reload, batch[0])
        except Exception as reload_error:
            self._broken = f"{error!r}, then re-reading failed: {reload_error!r}"
            error.add_note(f"store marked unusable: {self._broken}")
            return
        self._apply(collection, [(key, on_disk.get(key)) for key, _ in batch[1]])


async def open_store(path: str | os.PathLike[str], segment_size: int = SEGMENT_SIZE) -> TinyDBStore:
    """Open the durable store at `path` (see TinyDBStore.open)."""
    return await TinyDBStore.open(path, segment_size)
