"""TinyDBStore: MemoryStore's engine made durable by a journal folded into TinyDB segments."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

from bot.gc_pause import paused_gc
from bot.models import Doc
from bot.storage.collection_dir import SegmentedCollection
from bot.storage.disk import Disk
from bot.storage.errors import StoreError
from bot.storage.journal import Entry, JournalFile, Replay, encode, retire
from bot.storage.memory import Change, MemoryStore, Pending, by_collection, settle

SEGMENT_SIZE = 256
JOURNAL_LIMIT = 4 * 1024 * 1024  # bytes of journal that start a compaction
Unfolded = dict[str, "Pile"]  # per collection: journaled, not yet in the segments

log = logging.getLogger(__name__)


class TinyDBStore(MemoryStore):
    """The default Store: reads from memory, every write durable on disk before it returns.

    A write (or a group of writes committed together) is one line appended to
    `<root>/journal.NNNNNN.log` and one fsync. Once the journal passes `journal_limit` bytes a
    new one is started and, in the background, the changes of the old one are folded into
    the segment files `<root>/<collection>/000001.json`, ... (each a TinyDB database of at
    most `segment_size` records `{"key": key, "doc": doc}`); then the old journal is deleted.
    Closing folds everything, so a closed store is plain TinyDB files. Open with
    `await TinyDBStore.open()`.
    """

    def __init__(self, disk: Disk, journal: JournalFile, journal_limit: int) -> None:
        super().__init__()
        self._disk, self._journal, self._limit = disk, journal, journal_limit
        self._broken: str | None = None
        self._unfolded: Unfolded = {}
        self._folding: asyncio.Task[None] | None = None
        self._fold_failed = False

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        segment_size: int = SEGMENT_SIZE,
        journal_limit: int = JOURNAL_LIMIT,
    ) -> TinyDBStore:
        """Lock and load the store at `path`, creating it if needed; see StoreError subclasses."""
        if segment_size < 1:
            raise ValueError("segment_size must be at least 1")
        disk, contents, replay = await asyncio.to_thread(_load, Path(path), segment_size)
        try:
            journal = await asyncio.to_thread(
                JournalFile, disk.root, replay.generation, replay.size
            )
        except BaseException:
            disk.close()
            raise
        store = cls(disk, journal, journal_limit)
        with paused_gc():  # indexing creates many small objects, none of them garbage
            for collection, items in contents.items():
                store._apply(collection, items)
            for commit in replay.commits:
                store._adopt(commit)
        return store

    @property
    def path(self) -> Path:
        return self._disk.root

    async def close(self) -> None:
        if self._closed:
            return
        await super().close()
        if self._folding is not None:
            await asyncio.gather(self._folding, return_exceptions=True)
        try:
            if not (self._broken or self._fold_failed):  # folded, or nothing left: no journal
                await asyncio.to_thread(
                    self._write_segments, self._unfolded, self._journal.generation
                )
                self._unfolded = {}
        except Exception:
            log.exception("folding the journal into %s failed; it is kept for next time", self.path)
        finally:
            await asyncio.to_thread(self._close_files)

    def _close_files(self) -> None:
        self._journal.close()
        self._disk.close()

    async def _commit(self, batch: list[Pending]) -> None:
        """The whole batch as one journal line: it is durable, or none of it is."""
        if self._open_batch is batch:
            self._open_batch = None  # later puts start the next batch
        merged = by_collection(batch)
        waiters = [waiter for _, _, group in merged for waiter in group]
        try:
            await self._append(
                [(name, key, doc) for name, changes, _ in merged for key, doc in changes]
            )
        except Exception as error:
            settle(waiters, error)
        else:
            settle(waiters, None)

    async def _persist(self, collection: str, changes: list[Change]) -> None:
        await self._append([(collection, key, doc) for key, doc in changes])

    async def _append(self, entries: list[Entry]) -> None:
        if self._broken:
            raise StoreError(f"store {self.path} is unusable after a failed write: {self._broken}")
        journal = self._journal
        try:
            await asyncio.to_thread(journal.append, encode(entries))
        except Exception as error:
            if journal.damaged:
                self._broken = repr(error)
                error.add_note(f"store marked unusable: {self._broken}")
            raise
        self._adopt(entries)  # only now: memory never runs ahead of disk
        if journal.size >= self._limit and self._folding is None and not self._fold_failed:
            try:
                await self._rotate()
            except OSError:  # the write itself is durable: keep appending to this journal
                log.exception("could not start a new journal in %s", self.path)

    def _adopt(self, entries: list[Entry]) -> None:
        """Apply durable changes to memory and remember them for the next fold."""
        for collection, key, doc in entries:
            self._apply(collection, [(key, doc)])
            pile = self._unfolded.get(collection)
            if pile is None:
                pile = self._unfolded[collection] = Pile()
            pile.add(key, doc)

    async def _rotate(self) -> None:
        """Start the next journal; fold the old one's changes in the background."""
        old = self._journal
        self._journal = await asyncio.to_thread(JournalFile, self.path, old.generation + 1)
        snapshot, self._unfolded = self._unfolded, {}
        await asyncio.to_thread(old.close)
        self._folding = asyncio.ensure_future(self._fold(snapshot, old.generation))

    async def _fold(self, snapshot: Unfolded, through: int) -> None:
        try:
            await asyncio.to_thread(self._write_segments, snapshot, through)
        except Exception:
            log.exception("folding the journal into %s failed; it is kept and retried", self.path)
            for collection, newer in self._unfolded.items():
                snapshot.setdefault(collection, Pile()).extend(newer)
            self._unfolded = snapshot
        finally:
            self._folding = None

    def _write_segments(self, snapshot: Unfolded, through: int) -> None:
        """Blocking: rewrite the segments the changes touch, then delete the journals up to
        `through`. A segment that failed is re-read, so the key map matches the disk."""
        for collection, pile in snapshot.items():
            files = self._disk.collection(collection)
            for batch in files.plan(pile.changes()):
                try:
                    files.commit(batch)
                except Exception:
                    self._reload_segment(files, batch[0])
                    raise
        retire(self.path, through)

    def _reload_segment(self, files: SegmentedCollection, number: int) -> None:
        try:
            files.reload(number)
        except Exception:
            self._fold_failed = True  # the key map may not match the disk: stop folding
            raise


class Pile:
    """One collection's changes since the last fold, merged: each key's last document, and
    the keys deleted meanwhile (a key deleted and put again is folded as both)."""

    def __init__(self) -> None:
        self.latest: dict[str, Doc | None] = {}
        self.deleted: set[str] = set()

    def add(self, key: str, doc: Doc | None) -> None:
        if doc is None:
            self.deleted.add(key)
        elif key in self.deleted:
            self.latest.pop(key, None)  # put again: it is newer than every key put before
        self.latest[key] = doc

    def extend(self, newer: Pile) -> None:
        for key in newer.deleted:
            self.add(key, None)
        for key, doc in newer.latest.items():
            self.add(key, doc)

    def changes(self) -> list[Change]:
        """Deletions first, then each put in the order its key was (last) inserted."""
        puts = [(key, doc) for key, doc in self.latest.items() if doc is not None]
        return [*((key, None) for key in self.deleted), *puts]


def _load(root: Path, segment_size: int) -> tuple[Disk, dict[str, list[tuple[str, Doc]]], Replay]:
    disk, contents = Disk.open(root, segment_size)
    try:
        return disk, contents, Replay(root)
    except BaseException:
        disk.close()
        raise


async def open_store(
    path: str | os.PathLike[str],
    segment_size: int = SEGMENT_SIZE,
    journal_limit: int = JOURNAL_LIMIT,
) -> TinyDBStore:
    """Open the durable store at `path` (see TinyDBStore.open)."""
    return await TinyDBStore.open(path, segment_size, journal_limit)
