"""The store's root directory: the single-process lock, start-up checks, the collections."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.gc_pause import paused_gc
from bot.models import Doc
from bot.storage.collection_dir import SegmentedCollection
from bot.storage.errors import StoreCorruptError, StoreLockedError
from bot.storage.memory import COUNTERS
from bot.storage.segment import TEMP_SUFFIX
from bot.storage.validate import COLLECTION_NAME

LOCK_FILE = ".lock"
Contents = dict[str, list[tuple[str, Doc]]]


class Disk:
    """Holds an exclusive lock on `root` until closed; one directory per collection."""

    def __init__(self, root: Path, capacity: int, lock_fd: int) -> None:
        self.root = root
        self.capacity = capacity
        self.collections: dict[str, SegmentedCollection] = {}
        self._lock_fd: int | None = lock_fd

    @classmethod
    def open(cls, root: Path, capacity: int) -> tuple[Disk, Contents]:
        """Lock and load `root` (blocking); nothing is changed on disk if loading fails."""
        root.mkdir(parents=True, exist_ok=True)
        disk = cls(root, capacity, _lock(root))
        try:
            return disk, disk._load()
        except BaseException:
            disk.close()
            raise

    def collection(self, name: str) -> SegmentedCollection:
        found = self.collections.get(name)
        if found is None:
            found = self.collections[name] = SegmentedCollection(self.root / name, self.capacity)
        return found

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def _load(self) -> Contents:
        directories = [path for path in _listing(self.root) if _is_collection(path)]
        with paused_gc():
            contents = {p.name: _load_collection(self.collection(p.name)) for p in directories}
        # Only once everything loaded: temp files are writes that were never acknowledged.
        for directory in directories:
            for path in _listing(directory):
                if path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX):
                    path.unlink()
        return contents


def _lock(root: Path) -> int:
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StoreLockedError(root) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _listing(directory: Path) -> list[Path]:
    try:
        return sorted(directory.iterdir())
    except OSError as error:
        raise StoreCorruptError(directory, f"cannot list the directory: {error}") from error


def _is_collection(path: Path) -> bool:
    name = path.name
    return (name == COUNTERS or COLLECTION_NAME.match(name) is not None) and path.is_dir()


def _load_collection(files: SegmentedCollection) -> list[tuple[str, Doc]]:
    try:
        return files.load()
    except OSError as error:  # e.g. the directory itself is unreadable
        raise StoreCorruptError(files.directory, str(error)) from error
